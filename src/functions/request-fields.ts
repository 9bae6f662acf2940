/**
 * Small readers and writers of HTTP input and output shared by the built-in functions. They
 * work on node's request and response (the built-ins are `node` handlers): no web
 * `Request`/`Response`, so a built-in's instance never loads undici.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The query of a request target (`/path?a=1` → `a=1`). */
export function queryOf(req: IncomingMessage): URLSearchParams {
  const target = req.url ?? '/';
  const mark = target.indexOf('?');
  return new URLSearchParams(mark === -1 ? '' : target.slice(mark + 1));
}

/** The request body as UTF-8 text (buffered: functions get small bodies); '' for GET and HEAD. */
export async function readText(req: IncomingMessage): Promise<string> {
  if (req.method === 'GET' || req.method === 'HEAD') return '';
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `?name=`, else a POST body: JSON `{"name": …}` or plain text; `''` when absent. */
export async function readNameField(req: IncomingMessage): Promise<string> {
  const fromQuery = queryOf(req).get('name');
  if (fromQuery !== null) return fromQuery;
  const body = (await readText(req)).trim();
  if (body.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null && 'name' in parsed) return String(parsed.name);
    } catch {
      // Not JSON after all: the body is the name, as plain text.
    }
  }
  return body;
}

/** Answers `body` with a known length (no chunked encoding: one write, no terminator chunk). */
export function sendText(
  res: ServerResponse,
  body: string,
  status = 200,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A 400 answer with a plain-text reason. */
export function badRequest(res: ServerResponse, reason: string): void {
  sendText(res, `${reason}\n`, 400);
}

/** A JSON answer. */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  sendText(res, JSON.stringify(value), status, 'application/json');
}
