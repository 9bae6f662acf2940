/**
 * Built-in `sleep`, for tests and demos: HTTP `?ms=` sleeps that long (without using CPU),
 * then answers JSON `{"sleptMs": n}`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { defineFunction } from '../sdk/index.js';
import { badRequest, queryOf, sendJson } from './request-fields.js';

/** One hour: longer is surely a typo (and past any timeoutSeconds Knative allows). */
export const MAX_SLEEP_MS = 3_600_000;

/** Pure: `?ms=` → milliseconds, or the reason it is not acceptable. */
export function parseSleepMs(text: string | null): number | string {
  if (text === null || text === '') return 0;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_SLEEP_MS) {
    return `ms: expected a number of milliseconds from 0 to ${MAX_SLEEP_MS}, got ${JSON.stringify(text)}`;
  }
  return ms;
}

const sleep = defineFunction({
  async node(req, res) {
    const ms = parseSleepMs(queryOf(req).get('ms'));
    if (typeof ms === 'string') {
      badRequest(res, ms);
      return;
    }
    const startedAt = performance.now();
    await delay(ms);
    sendJson(res, { sleptMs: Math.round(performance.now() - startedAt) });
  },
});

export default sleep;
