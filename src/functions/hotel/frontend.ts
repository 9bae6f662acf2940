/**
 * Built-in `hotel/frontend`: DeathStarBench's HTTP frontend. `GET /hotels` → search →
 * reservation (availability) → profile; `GET /recommendations` → recommendation → profile;
 * `POST /user` → user; `POST /reservation` → user → reservation. Replies in its JSON
 * (GeoJSON features for hotels, `{"message": …}` otherwise); bad queries get its 400 texts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineFunction } from '../../sdk/index.js';
import { badRequest, queryOf, sendJson, sendText } from '../request-fields.js';
import { checkLogin, checkRecommend, checkReserve, checkSearch, type Checked } from './frontend-requests.js';
import { hop } from './hop.js';
import { geoJsonResponse, type ProfileHotel } from './hotel-logic.js';

const search = hop('search', 'search', 'search.Search');
const reservation = hop('reservation', 'reservation', 'reservation.Reservation');
const profile = hop('profile', 'profile', 'profile.Profile');
const recommendation = hop('recommendation', 'recommendation', 'recommendation.Recommendation');
const user = hop('user', 'user', 'user.User');

async function profiles(hotelIds: unknown, locale: string): Promise<Record<string, unknown>> {
  const reply = await profile.call('GetProfiles', { hotelIds: hotelIds ?? [], locale });
  return geoJsonResponse((reply.hotels ?? []) as ProfileHotel[]);
}

type Handler = (q: URLSearchParams) => Promise<Record<string, unknown> | string>;

/** A handler's reply, or the reason of a bad query (as a string). */
function checked<T>(
  check: (q: URLSearchParams) => Checked<T>,
  run: (value: T) => Promise<Record<string, unknown>>,
): Handler {
  return async (q) => {
    const result = check(q);
    return result.ok ? run(result.value) : result.reason;
  };
}

const ROUTES: Readonly<Record<string, Handler>> = {
  '/hotels': checked(checkSearch, async (s) => {
    const found = await search.call('Nearby', {
      lat: s.lat,
      lon: s.lon,
      inDate: s.inDate,
      outDate: s.outDate,
    });
    const available = await reservation.call('CheckAvailability', {
      customerName: '',
      hotelId: found.hotelIds ?? [],
      inDate: s.inDate,
      outDate: s.outDate,
      roomNumber: 1,
    });
    return profiles(available.hotelId, s.locale);
  }),
  '/recommendations': checked(checkRecommend, async (r) => {
    const found = await recommendation.call('GetRecommendations', {
      require: r.require,
      lat: r.lat,
      lon: r.lon,
    });
    return profiles(found.HotelIds, r.locale);
  }),
  '/user': checked(checkLogin, async (l) => {
    const reply = await user.call('CheckUser', { username: l.username, password: l.password });
    return {
      message:
        reply.correct === true ? 'Login successfully!' : 'Failed. Please check your username and password. ',
    };
  }),
  '/reservation': checked(checkReserve, async (r) => {
    const login = await user.call('CheckUser', { username: r.username, password: r.password });
    let message =
      login.correct === true ? 'Reserve successfully!' : 'Failed. Please check your username and password. ';
    const made = await reservation.call('MakeReservation', {
      customerName: r.customerName,
      hotelId: [r.hotelId],
      inDate: r.inDate,
      outDate: r.outDate,
      roomNumber: r.rooms,
    });
    if (((made.hotelId ?? []) as unknown[]).length === 0) message = 'Failed. Already reserved. ';
    return { message };
  }),
};

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('access-control-allow-origin', '*');
  const path = (req.url ?? '/').split('?')[0]!;
  const handler = ROUTES[path];
  req.resume();
  if (!handler) {
    sendText(
      res,
      `404 page not found: ${path} (the frontend serves /hotels, /recommendations, /user, /reservation)\n`,
      404,
    );
    return;
  }
  try {
    const reply = await handler(queryOf(req));
    if (typeof reply === 'string') badRequest(res, reply);
    else sendJson(res, reply);
  } catch (error) {
    sendText(res, `${error instanceof Error ? error.message : String(error)}\n`, 500);
  }
}

const frontend = defineFunction({ node: serve });

export default frontend;
