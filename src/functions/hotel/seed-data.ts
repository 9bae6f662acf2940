/**
 * The data DeathStarBench's hotelReservation seeds its MongoDB instances with
 * (`cmd/<service>/db.go`): six San Francisco hotels written out, hotels 7–80 generated on a
 * line north-east of them, rate plans for hotels 1–3 and every third generated one, room
 * capacities, one reservation by Alice, and users `Cornell_0…Cornell_500` whose password is
 * their number written ten times, stored as its SHA-256. Pure: the same documents every time.
 */
import { createHash } from 'node:crypto';

/** A database of the app: its collections, each a list of JSON documents. */
export type Database = Readonly<Record<string, readonly Record<string, unknown>[]>>;

/** The databases by the name the `mongodb-<name>` function serves (`HOTEL_DB`). */
export const DATABASE_NAMES = ['geo', 'profile', 'rate', 'recommendation', 'reservation', 'user'] as const;
export type DatabaseName = (typeof DATABASE_NAMES)[number];

const GENERATED = Array.from({ length: 74 }, (_, i) => i + 7); // hotels 7..80

/** Where generated hotel i stands (the same formula in every db.go). */
function generatedPoint(i: number): { lat: number; lon: number } {
  return { lat: 37.7835 + (i / 500) * 3, lon: -122.41 + (i / 500) * 4 };
}

const NAMED_POINTS: readonly [string, number, number][] = [
  ['1', 37.7867, -122.4112],
  ['2', 37.7854, -122.4005],
  ['3', 37.7854, -122.4071],
  ['4', 37.7936, -122.393],
  ['5', 37.7831, -122.4181],
  ['6', 37.7863, -122.4015],
];

const ST_REGIS =
  'St. Regis Museum Tower is a 42-story, 484 ft skyscraper in the South of Market district of San Francisco, California, adjacent to Yerba Buena Gardens, Moscone Center, PacBell Building and the San Francisco Museum of Modern Art.';

const NAMED_PROFILES: readonly (readonly [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  number,
])[] = [
  [
    '1',
    'Clift Hotel',
    '(415) 775-4700',
    'A 6-minute walk from Union Square and 4 minutes from a Muni Metro station, this luxury hotel designed by Philippe Starck features an artsy furniture collection in the lobby, including work by Salvador Dali.',
    '495',
    'Geary St',
    '94102',
    37.7867,
    -122.4112,
  ],
  [
    '2',
    'W San Francisco',
    '(415) 777-5300',
    'Less than a block from the Yerba Buena Center for the Arts, this trendy hotel is a 12-minute walk from Union Square.',
    '181',
    '3rd St',
    '94103',
    37.7854,
    -122.4005,
  ],
  [
    '3',
    'Hotel Zetta',
    '(415) 543-8555',
    'A 3-minute walk from the Powell Street cable-car turnaround and BART rail station, this hip hotel 9 minutes from Union Square combines high-tech lodging with artsy touches.',
    '55',
    '5th St',
    '94103',
    37.7834,
    -122.4071,
  ],
  [
    '4',
    'Hotel Vitale',
    '(415) 278-3700',
    'This waterfront hotel with Bay Bridge views is 3 blocks from the Financial District and a 4-minute walk from the Ferry Building.',
    '8',
    'Mission St',
    '94105',
    37.7936,
    -122.393,
  ],
  [
    '5',
    'Phoenix Hotel',
    '(415) 776-1380',
    'Located in the Tenderloin neighborhood, a 10-minute walk from a BART rail station, this retro motor lodge has hosted many rock musicians and other celebrities since the 1950s. It’s a 4-minute walk from the historic Great American Music Hall nightclub.',
    '601',
    'Eddy St',
    '94109',
    37.7831,
    -122.4181,
  ],
  ['6', 'St. Regis San Francisco', '(415) 284-4000', ST_REGIS, '125', '3rd St', '94109', 37.7863, -122.4015],
];

function profile(
  id: string,
  name: string,
  phoneNumber: string,
  description: string,
  streetNumber: string,
  streetName: string,
  postalCode: string,
  lat: number,
  lon: number,
): Record<string, unknown> {
  return {
    id,
    name,
    phoneNumber,
    description,
    address: {
      streetNumber,
      streetName,
      city: 'San Francisco',
      state: 'CA',
      country: 'United States',
      postalCode,
      lat,
      lon,
    },
  };
}

function roomType(
  rate: number,
  inclusive: number,
  code: string,
  description: string,
): Record<string, unknown> {
  return {
    bookableRate: rate,
    code,
    roomDescription: description,
    totalRate: rate,
    totalRateInclusive: inclusive,
  };
}

/** Rate of a generated hotel by i % 5, as rate/db.go writes it (i % 5 == 0 keeps 109/123.17). */
function generatedRate(i: number): [number, number] {
  return (
    [
      [109, 123.17],
      [120, 140],
      [124, 144],
      [132, 158],
      [232, 258],
    ] as const
  )[i % 5]!.slice() as [number, number];
}

function geoDb(): Database {
  return {
    geo: [
      ...NAMED_POINTS.map(([hotelId, lat, lon]) => ({ hotelId, lat, lon })),
      ...GENERATED.map((i) => ({ hotelId: String(i), ...generatedPoint(i) })),
    ],
  };
}

function profileDb(): Database {
  return {
    hotels: [
      ...NAMED_PROFILES.map((p) => profile(...p)),
      ...GENERATED.map((i) => {
        const { lat, lon } = generatedPoint(i);
        return profile(
          String(i),
          'St. Regis San Francisco',
          `(415) 284-40${i}`,
          ST_REGIS,
          '125',
          '3rd St',
          '94109',
          lat,
          lon,
        );
      }),
    ],
  };
}

function rateDb(): Database {
  const plan = (hotelId: string, outDate: string, type: Record<string, unknown>) => ({
    hotelId,
    code: 'RACK',
    inDate: '2015-04-09',
    outDate,
    roomType: type,
  });
  return {
    inventory: [
      plan('1', '2015-04-10', roomType(109, 123.17, 'KNG', 'King sized bed')),
      plan('2', '2015-04-10', roomType(139, 153.09, 'QN', 'Queen sized bed')),
      plan('3', '2015-04-10', roomType(109, 123.17, 'KNG', 'King sized bed')),
      ...GENERATED.filter((i) => i % 3 === 0).map((i) => {
        const [rate, inclusive] = generatedRate(i);
        return plan(
          String(i),
          i % 2 === 0 ? '2015-04-17' : '2015-04-24',
          roomType(rate, inclusive, 'KNG', 'King sized bed'),
        );
      }),
    ],
  };
}

function recommendationDb(): Database {
  const named: readonly [number, number][] = [
    [109, 150],
    [139, 120],
    [109, 190],
    [129, 160],
    [119, 140],
    [149, 200],
  ];
  return {
    recommendation: [
      ...NAMED_POINTS.map(([hotelId, lat, lon], i) => ({
        hotelId,
        lat,
        lon,
        rate: named[i]![0],
        price: named[i]![1],
      })),
      ...GENERATED.map((i) => {
        const [rate, price] = i % 3 === 0 ? generatedRate(i) : [135, 179];
        return { hotelId: String(i), ...generatedPoint(i), rate, price };
      }),
    ],
  };
}

function reservationDb(): Database {
  const capacity = (i: number): number => (i <= 6 ? 200 : i % 3 === 1 ? 300 : i % 3 === 2 ? 250 : 200);
  return {
    reservation: [
      { hotelId: '4', customerName: 'Alice', inDate: '2015-04-09', outDate: '2015-04-10', number: 1 },
    ],
    number: Array.from({ length: 80 }, (_, k) => ({ hotelId: String(k + 1), numberOfRoom: capacity(k + 1) })),
  };
}

/** SHA-256 in lower-case hex, as the user service stores and compares passwords. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function userDb(): Database {
  return {
    user: Array.from({ length: 501 }, (_, i) => ({
      username: `Cornell_${i}`,
      password: sha256Hex(String(i).repeat(10)),
    })),
  };
}

/** The seed documents of one database. */
export function seedDatabase(name: DatabaseName): Database {
  switch (name) {
    case 'geo':
      return geoDb();
    case 'profile':
      return profileDb();
    case 'rate':
      return rateDb();
    case 'recommendation':
      return recommendationDb();
    case 'reservation':
      return reservationDb();
    case 'user':
      return userDb();
  }
}
