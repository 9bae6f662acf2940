/**
 * The fault routes of the admin API (`hivelab fault set|clear|list`):
 *
 *   GET    /_hivelab/faults[?function=ns/name&sinceMs=N&limit=N] → FaultsStatus
 *   PUT    /_hivelab/faults/{namespace}/{name}  body: `delay=50ms,share=0.1` (text/plain,
 *          or JSON `{"spec":"…"}`) → ActiveFault; 404 for a function not deployed
 *   DELETE /_hivelab/faults/{namespace}/{name}  → `{"function","cleared"}`
 *   DELETE /_hivelab/faults                     → `{"cleared":[…]}`
 */
import { HttpError, errorMessage } from '../../errors.js';
import { decodePathSegment } from '../../http/index.js';
import type { FaultsStatus } from '../admin-api.js';
import { parseFaultSpec, type FaultTable } from '../faults/index.js';
import type { GatewayRequest } from '../gateway/server-types.js';

const FAULTS_PATH = /^\/_hivelab\/faults\/?$/;
const FAULT_PATH = /^\/_hivelab\/faults\/([^/?]+)\/([^/?]+)\/?$/;
/** Injections answered by default (the newest); the JSON-lines file keeps them all. */
const DEFAULT_LIMIT = 10_000;

export interface FaultRoutesTarget {
  faults: FaultTable;
  /** Whether `namespace/name` is deployed. */
  exists(namespace: string, name: string): boolean;
}

/** What a fault route answers: a status and a JSON value (204 has none). */
export interface FaultAnswer {
  status: number;
  body?: unknown;
}

/** `undefined` when the URL is not a fault route. */
export async function routeFaults(
  target: FaultRoutesTarget,
  req: GatewayRequest,
  readBody: () => Promise<string>,
): Promise<FaultAnswer | undefined> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const method = req.method ?? 'GET';
  if (FAULTS_PATH.test(url.pathname)) {
    if (method === 'GET') return { status: 200, body: faultsStatus(target.faults, url.searchParams) };
    if (method === 'DELETE') return { status: 200, body: { cleared: target.faults.clearAll() } };
    throw new HttpError(405, `${method} is not allowed on /_hivelab/faults (GET or DELETE)`);
  }
  const match = FAULT_PATH.exec(url.pathname);
  if (!match) return undefined;
  const namespace = decodePathSegment(match[1] ?? '', 'namespace');
  const name = decodePathSegment(match[2] ?? '', 'function name');
  const fn = `${namespace}/${name}`;
  if (method === 'PUT') {
    if (!target.exists(namespace, name))
      throw new HttpError(404, `no function ${fn}: deploy it first (faults are set per deployed function)`);
    const spec = parseFaultSpecBody(await readBody(), req.headers['content-type']);
    target.faults.set(fn, spec, 'api');
    const active = target.faults.active().find((a) => a.function === fn);
    return { status: 200, body: active };
  }
  if (method === 'DELETE') return { status: 200, body: { function: fn, cleared: target.faults.clear(fn) } };
  throw new HttpError(405, `${method} is not allowed on ${url.pathname} (PUT or DELETE)`);
}

function parseFaultSpecBody(body: string, contentType: string | string[] | undefined) {
  let text = body.trim();
  if (String(contentType ?? '').includes('json')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new HttpError(
        400,
        `the body is not JSON: ${errorMessage(error)}; expected {"spec":"delay=50ms"}`,
      );
    }
    const spec = (json as { spec?: unknown } | null)?.spec;
    if (typeof spec !== 'string')
      throw new HttpError(400, 'spec: expected a string like "delay=50ms,share=0.1"');
    text = spec;
  }
  try {
    return parseFaultSpec(text);
  } catch (error) {
    throw new HttpError(400, `fault spec: ${errorMessage(error)}`);
  }
}

function faultsStatus(faults: FaultTable, query: URLSearchParams): FaultsStatus {
  const fn = query.get('function') ?? undefined;
  const sinceMs = numberParam(query, 'sinceMs', 0);
  const limit = numberParam(query, 'limit', DEFAULT_LIMIT);
  const all = faults.injections();
  const injections = [];
  // Newest first from the end, so a limit keeps the most recent ones.
  for (let i = all.length - 1; i >= 0 && injections.length < limit; i--) {
    const record = all[i]!;
    if (record.timeMs < sinceMs) break;
    if (fn === undefined || record.function === fn) injections.push(record);
  }
  injections.reverse();
  return {
    active: faults.active(),
    changes: faults.changes().filter((c) => c.timeMs >= sinceMs && (fn === undefined || c.function === fn)),
    injections,
  };
}

function numberParam(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new HttpError(400, `${name}: expected a non-negative number, got ${JSON.stringify(text)}`);
  return value;
}
