/**
 * A small route table over Node's `http`: exact paths and `{param}` segments, 404 for an
 * unknown path, 405 (with `Allow`) for a known path and a wrong method, and CORS preflight;
 * every answer carries the CORS headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../../errors.js';
import { sendError } from '../../http/index.js';
import { CORS_HEADERS } from './cors.js';

/** What a handler gets besides the raw request and response. */
export interface RouteContext {
  /** Values of the `{name}` segments of the matched pattern, URL-decoded. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
}

export type RouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  context: RouteContext,
) => void | Promise<void>;

export type HttpMethod = 'GET' | 'POST';

export interface Route {
  method: HttpMethod;
  /** e.g. `/api/v2/trace/{traceId}`; a `{name}` matches one non-empty segment. */
  pattern: string;
  handler: RouteHandler;
}

interface CompiledRoute extends Route {
  segments: readonly string[];
}

/** Builds the request listener for a list of routes. */
export function createRouter(
  routes: readonly Route[],
  log: (line: string) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  const compiled: CompiledRoute[] = routes.map((route) => ({ ...route, segments: split(route.pattern) }));
  return (request, response) => {
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.setHeader(name, value);
    const url = new URL(request.url ?? '/', 'http://collector');
    const segments = split(url.pathname);
    const matches = compiled
      .map((route) => ({ route, params: match(route.segments, segments) }))
      .filter((m): m is { route: CompiledRoute; params: Record<string, string> } => m.params !== undefined);
    const allowed = [...new Set(matches.map((m) => m.route.method))];
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (method === 'OPTIONS' && allowed.length > 0) {
      response.writeHead(204, { ...CORS_HEADERS, allow: [...allowed, 'OPTIONS'].join(', ') });
      response.end();
      return;
    }
    const found = matches.find((m) => m.route.method === method);
    try {
      if (!found) {
        request.resume();
        if (matches.length === 0) throw new HttpError(404, `no such path: ${url.pathname}`);
        throw new HttpError(405, `method ${request.method ?? '?'} is not allowed on ${url.pathname}`, {
          allow: allowed.join(', '),
        });
      }
      const result = found.route.handler(request, response, {
        params: found.params,
        query: url.searchParams,
      });
      if (result) result.catch((error: unknown) => sendError(response, error, log));
    } catch (error) {
      sendError(response, error, log);
    }
  };
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function match(pattern: readonly string[], path: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = path[i]!;
    if (p.startsWith('{') && p.endsWith('}')) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(s);
      } catch {
        return undefined;
      }
    } else if (p !== s) return undefined;
  }
  return params;
}
