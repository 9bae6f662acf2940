/** GETs and POSTs JSON from the collector, with errors that say what failed and why. */

/** A failed request: `status` is 0 when the collector could not be reached at all. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Fetches `path` (same origin) and parses the JSON answer. */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(`the collector is not reachable (${(error as Error).message})`, 0);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ApiError(text.trim() || `${response.status} ${response.statusText}`, response.status);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(`${path} did not answer JSON`, response.status);
  }
}
