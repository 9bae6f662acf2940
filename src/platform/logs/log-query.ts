/**
 * The query of `GET /_hivelab/functions/<ns>/<name>/logs`, validated at the edge as
 * kubectl's flags are: `instance`, `container`, `since` (a Go duration: `10m`, `1h30m`),
 * `tail` (lines), `follow` and `timestamps` (`1`/`true` or `0`/`false`). Pure.
 */
import { HttpError } from '../../errors.js';
import { parseDurationMs } from '../function-spec/index.js';

export interface LogQuery {
  instanceId?: string;
  container?: string;
  /** Only lines written in the last `sinceMs`. */
  sinceMs?: number;
  /** Only the last `tailLines` lines on disk (following goes on from there). */
  tailLines?: number;
  follow: boolean;
  timestamps: boolean;
}

const KNOWN = new Set(['instance', 'container', 'since', 'tail', 'follow', 'timestamps']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null || value === '1' || value === 'true' || value === '') return value !== null;
  if (value === '0' || value === 'false') return false;
  throw new HttpError(400, `${name}: expected 1, true, 0 or false, got ${JSON.stringify(value)}`);
}

function name(params: URLSearchParams, field: string, what: string): string | undefined {
  const value = params.get(field);
  if (value === null) return undefined;
  if (!NAME.test(value)) throw new HttpError(400, `${field}: expected ${what}, got ${JSON.stringify(value)}`);
  return value;
}

/** Pure: the query, or an HttpError 400 naming the parameter and the expected form. */
export function parseLogQuery(params: URLSearchParams): LogQuery {
  for (const key of params.keys()) {
    if (!KNOWN.has(key)) {
      throw new HttpError(400, `unknown parameter ${JSON.stringify(key)}; expected ${[...KNOWN].join(', ')}`);
    }
  }
  const query: LogQuery = { follow: flag(params, 'follow'), timestamps: flag(params, 'timestamps') };
  const instanceId = name(params, 'instance', 'an instance id (see the prefix of each line)');
  if (instanceId !== undefined) query.instanceId = instanceId;
  const container = name(params, 'container', 'a container name');
  if (container !== undefined) query.container = container;
  const since = params.get('since');
  if (since !== null) {
    const ms = parseDurationMs(since);
    if (ms === undefined || ms <= 0) {
      throw new HttpError(
        400,
        `since: expected a duration such as 30s, 10m or 1h, got ${JSON.stringify(since)}`,
      );
    }
    query.sinceMs = ms;
  }
  const tail = params.get('tail');
  if (tail !== null) {
    if (!/^\d+$/.test(tail))
      throw new HttpError(400, `tail: expected a number of lines (0 or more), got ${JSON.stringify(tail)}`);
    query.tailLines = Number(tail);
  }
  return query;
}
