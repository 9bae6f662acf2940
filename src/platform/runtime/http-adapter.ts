/**
 * Adapts node's `http` server to a web-standard `fetch(Request) → Response` handler, as
 * cheaply as the web types allow: the function author still gets a real `Request` and
 * returns a real `Response`, but the conversions skip what a loopback hop does not need.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads a node request into a web `Request` (body buffered: functions get small bodies). */
export async function toWebRequest(req: IncomingMessage): Promise<Request> {
  const method = req.method ?? 'GET';
  const url = requestUrl(req.headers.host, req.url);
  // A plain object of node's already-joined headers: undici copies it into its own list
  // without the per-header `Headers.set` validation round trips of building a `Headers`.
  const headers = req.headers as Record<string, string | string[]>;
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Request(url, { method, headers, body: Buffer.concat(chunks) });
}

/**
 * The absolute URL of a request. Pure. An origin-form target (`/path?q`, the only form a
 * client sends to an origin server) is appended to the host as is; anything else (an
 * absolute-form target, `*`) goes through the URL parser as before.
 */
export function requestUrl(host: string | undefined, target: string | undefined): string {
  const base = `http://${host ?? '127.0.0.1'}`;
  const path = target ?? '/';
  if (path.startsWith('/') && !path.startsWith('//')) return `${base}${path}`;
  return new URL(path, base).href;
}

/** Writes a web `Response` to a node response. */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    const prev = headers[name];
    if (prev === undefined) headers[name] = value;
    else headers[name] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  });
  if (response.body === null) {
    res.writeHead(response.status, response.statusText, headers);
    res.end();
    return;
  }
  const body = bufferedBody(response) ?? Buffer.from(await response.arrayBuffer());
  // A known length spares chunked encoding (smaller writes, no terminator chunk).
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
    headers['content-length'] = String(body.byteLength);
  }
  res.writeHead(response.status, response.statusText, headers);
  res.end(body);
}

/** undici's internal state of a `Response` (Node's `fetch`); absent on other implementations. */
interface UndiciBodyState {
  body?: { source?: unknown } | null;
}

let stateKey: symbol | null | undefined;

/**
 * The body a `Response` was built from (`new Response(string | bytes)`), read without
 * draining its stream: reading through the stream costs more CPU than the rest of the
 * conversion. Undefined for streamed bodies, an already used body, or when Node's `Response`
 * is not undici's: the caller then reads the public way.
 */
export function bufferedBody(response: Response): Uint8Array | undefined {
  if (response.bodyUsed) return undefined;
  stateKey ??= Object.getOwnPropertySymbols(response).find((s) => s.description === 'state') ?? null;
  if (stateKey === null) return undefined;
  const state = (response as unknown as Record<symbol, UndiciBodyState | undefined>)[stateKey];
  const source = state?.body?.source;
  if (typeof source === 'string') return Buffer.from(source);
  if (source instanceof Uint8Array) return source;
  return undefined;
}
