/**
 * GET a JSON document from a remote trace API, with errors that say which URL failed and
 * why (unreachable, not found, not JSON, wrong status), as the CLI prints them.
 */
import { UserError, errorMessage } from '../../errors.js';

/** Default time allowed for one page. */
const TIMEOUT_MS = 60_000;

/**
 * Fetches `url` and parses its JSON body; `what` names the API in messages. With
 * `missingOk`, a 404 resolves to `undefined` (an unknown trace id).
 */
export async function getJson(url: URL, what: string, missingOk = false): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new UserError(
      `error while reading ${what}: ${cause?.code ?? cause?.message ?? errorMessage(error)}`,
      'check the URL and that the server is running',
    );
  }
  const text = await response.text();
  if (response.status === 404 && missingOk) return undefined;
  if (response.status === 404) {
    throw new UserError(
      `error while reading ${what}: ${url.toString()} answered 404`,
      `check the base URL: give the server's root (or its base path), e.g. http://127.0.0.1:9411 or http://host/jaeger`,
    );
  }
  if (!response.ok) {
    throw new UserError(
      `error while reading ${what}: ${url.toString()} answered ${response.status}: ${text.slice(0, 200).trim()}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UserError(
      `error while reading ${what}: ${url.toString()} did not answer JSON (${text.slice(0, 60).trim()}…)`,
      'is this the right URL for that API?',
    );
  }
}

/** The base URL without a trailing slash and without the API suffix a user may have pasted. */
export function baseUrl(raw: string, suffixes: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`invalid URL "${raw}"`, 'expected e.g. http://127.0.0.1:9411');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`invalid URL "${raw}": expected http or https`);
  }
  let path = url.pathname.replace(/\/+$/, '');
  for (const suffix of suffixes) if (path.endsWith(suffix)) path = path.slice(0, -suffix.length);
  url.pathname = path;
  url.search = '';
  return url;
}

/** `base` + `path` (base paths such as /jaeger kept). */
export function apiUrl(
  base: URL,
  path: string,
  params: Record<string, string | number | undefined> = {},
): URL {
  const url = new URL(base.toString());
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}
