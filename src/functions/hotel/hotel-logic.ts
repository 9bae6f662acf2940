/**
 * The hotel app's decisions, apart from its hops: geo search, rate ordering,
 * recommendations, the frontend's GeoJSON reply, date handling and the document filters of
 * the embedded MongoDB stand-in. Pure.
 */

export interface GeoPoint {
  hotelId: string;
  lat: number;
  lon: number;
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** geo.Nearby: the `maxResults` nearest hotels within `radiusKm` (DeathStarBench: 5 within 10 km), nearest first. */
export function nearbyHotels(
  points: readonly GeoPoint[],
  lat: number,
  lon: number,
  maxResults = 5,
  radiusKm = 10,
): string[] {
  return points
    .map((p) => ({ id: p.hotelId, km: distanceKm(lat, lon, p.lat, p.lon) }))
    .filter((p) => p.km <= radiusKm)
    .sort((a, b) => a.km - b.km || a.id.localeCompare(b.id, 'en', { numeric: true }))
    .slice(0, maxResults)
    .map((p) => p.id);
}

export interface RatePlan {
  hotelId: string;
  roomType?: { totalRate?: number } | null;
}

/** rate.GetRates orders plans by total rate, highest first. Returns a new array. */
export function sortRatePlans<T extends RatePlan>(plans: readonly T[]): T[] {
  return [...plans].sort((a, b) => (b.roomType?.totalRate ?? 0) - (a.roomType?.totalRate ?? 0));
}

export interface RecommendationHotel extends GeoPoint {
  rate: number;
  price: number;
}

export type Requirement = 'dis' | 'rate' | 'price';

/** recommendation.GetRecommendations: every hotel that ties for the best by the requirement. */
export function recommendHotels(
  hotels: readonly RecommendationHotel[],
  require: string,
  lat: number,
  lon: number,
): string[] {
  const score: ((h: RecommendationHotel) => number) | undefined =
    require === 'dis'
      ? (h) => -distanceKm(lat, lon, h.lat, h.lon)
      : require === 'rate'
        ? (h) => h.rate
        : require === 'price'
          ? (h) => -h.price
          : undefined;
  if (!score || hotels.length === 0) return [];
  const best = Math.max(...hotels.map(score));
  return hotels.filter((h) => score(h) === best).map((h) => h.hotelId);
}

export interface ProfileHotel {
  id: string;
  name: string;
  phoneNumber: string;
  address?: { lat?: number; lon?: number } | null;
}

/** The frontend's reply: a GeoJSON FeatureCollection a map can plot directly. */
export function geoJsonResponse(hotels: readonly ProfileHotel[]): Record<string, unknown> {
  return {
    type: 'FeatureCollection',
    features: hotels.map((h) => ({
      type: 'Feature',
      id: h.id,
      properties: { name: h.name, phone_number: h.phoneNumber },
      geometry: { type: 'Point', coordinates: [h.address?.lon ?? 0, h.address?.lat ?? 0] },
    })),
  };
}

/** `YYYY-MM-DD` with digits where digits belong (the frontend's checkDataFormat). */
export function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text);
}

/** The nights of a stay as [night start, night end] date pairs; empty when out ≤ in or a date is bad. */
export function stayNights(inDate: string, outDate: string): [string, string][] {
  const start = Date.parse(`${inDate}T12:00:00Z`);
  const end = Date.parse(`${outDate}T12:00:00Z`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return [];
  const nights: [string, string][] = [];
  for (let t = start; t < end; t += 86_400_000)
    nights.push([
      new Date(t).toISOString().slice(0, 10),
      new Date(t + 86_400_000).toISOString().slice(0, 10),
    ]);
  return nights;
}

/** MongoDB-style filter: each field equal, or `{"$in": [...]}`. */
export function matchesFilter(
  doc: Readonly<Record<string, unknown>>,
  filter: Readonly<Record<string, unknown>>,
): boolean {
  return Object.entries(filter).every(([field, expected]) => {
    const value = doc[field];
    if (expected !== null && typeof expected === 'object' && '$in' in expected) {
      const options = expected.$in;
      return Array.isArray(options) && options.includes(value);
    }
    return value === expected;
  });
}

/** A request field as text: strings as they are, numbers written out, anything else ''. */
export function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
