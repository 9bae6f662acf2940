/**
 * The frontend's query checks, as DeathStarBench's handlers make them (same messages, same
 * order). Each returns the parsed request or the 400 reason. Pure.
 */
import { isDate } from './hotel-logic.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = <T>(reason: string): Checked<T> => ({ ok: false, reason });

export interface SearchQuery {
  inDate: string;
  outDate: string;
  lat: number;
  lon: number;
  locale: string;
}

export function checkSearch(q: URLSearchParams): Checked<SearchQuery> {
  const inDate = q.get('inDate') ?? '';
  const outDate = q.get('outDate') ?? '';
  if (inDate === '' || outDate === '') return fail('Please specify inDate/outDate params');
  const lat = q.get('lat') ?? '';
  const lon = q.get('lon') ?? '';
  if (lat === '' || lon === '') return fail('Please specify location params');
  return {
    ok: true,
    value: { inDate, outDate, lat: Number(lat) || 0, lon: Number(lon) || 0, locale: q.get('locale') || 'en' },
  };
}

export interface RecommendQuery {
  require: 'dis' | 'rate' | 'price';
  lat: number;
  lon: number;
  locale: string;
}

export function checkRecommend(q: URLSearchParams): Checked<RecommendQuery> {
  const lat = q.get('lat') ?? '';
  const lon = q.get('lon') ?? '';
  if (lat === '' || lon === '') return fail('Please specify location params');
  const require = q.get('require') ?? '';
  if (require !== 'dis' && require !== 'rate' && require !== 'price')
    return fail('Please specify require params');
  return {
    ok: true,
    value: { require, lat: Number(lat) || 0, lon: Number(lon) || 0, locale: q.get('locale') || 'en' },
  };
}

export interface LoginQuery {
  username: string;
  password: string;
}

export function checkLogin(q: URLSearchParams): Checked<LoginQuery> {
  const username = q.get('username') ?? '';
  const password = q.get('password') ?? '';
  if (username === '' || password === '') return fail('Please specify username and password');
  return { ok: true, value: { username, password } };
}

export interface ReserveQuery extends LoginQuery {
  inDate: string;
  outDate: string;
  hotelId: string;
  customerName: string;
  rooms: number;
}

export function checkReserve(q: URLSearchParams): Checked<ReserveQuery> {
  const inDate = q.get('inDate') ?? '';
  const outDate = q.get('outDate') ?? '';
  if (inDate === '' || outDate === '') return fail('Please specify inDate/outDate params');
  if (!isDate(inDate) || !isDate(outDate)) return fail('Please check inDate/outDate format (YYYY-MM-DD)');
  const hotelId = q.get('hotelId') ?? '';
  if (hotelId === '') return fail('Please specify hotelId params');
  const customerName = q.get('customerName') ?? '';
  if (customerName === '') return fail('Please specify customerName params');
  const login = checkLogin(q);
  if (!login.ok) return login;
  const rooms = Number.parseInt(q.get('number') ?? '0', 10);
  return {
    ok: true,
    value: {
      ...login.value,
      inDate,
      outDate,
      hotelId,
      customerName,
      rooms: Number.isFinite(rooms) ? rooms : 0,
    },
  };
}
