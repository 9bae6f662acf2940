/** Small readers of HTTP request input shared by the built-in functions. */

/** `?name=`, else a POST body: JSON `{"name": …}` or plain text; `''` when absent. */
export async function readNameField(request: Request): Promise<string> {
  const url = new URL(request.url);
  const fromQuery = url.searchParams.get('name');
  if (fromQuery !== null) return fromQuery;
  if (request.method === 'GET' || request.method === 'HEAD') return '';
  const body = (await request.text()).trim();
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

/** A 400 answer with a plain-text reason. */
export function badRequest(reason: string): Response {
  return new Response(`${reason}\n`, {
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** A JSON answer. */
export function jsonResponse(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}
