/** vHive's `endpoints.json`: `[{"hostname": "...", "eventing": false, "matchers": null}]`. */
import { readFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../errors.js';

export interface Endpoint {
  hostname: string;
  eventing: boolean;
}

/** Validates parsed JSON; `source` names the file in messages. */
export function parseEndpoints(data: unknown, source: string): Endpoint[] {
  if (!Array.isArray(data))
    throw new UserError(`${source}: expected a JSON array of {"hostname": …} objects`);
  if (data.length === 0)
    throw new UserError(
      `${source}: the endpoint list is empty`,
      'deploy functions first: hivelab deploy -jsonFile functions.json',
    );
  return data.map((item: unknown, i) => {
    const hostname = (item as { hostname?: unknown } | null)?.hostname;
    if (typeof hostname !== 'string' || hostname.length === 0)
      throw new UserError(
        `${source}: [${i}].hostname must be a non-empty string, e.g. "helloworld-0.default.localhost"`,
      );
    const eventing = (item as { eventing?: unknown }).eventing;
    return { hostname, eventing: eventing === true };
  });
}

export async function readEndpointsFile(file: string): Promise<Endpoint[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `error while reading the endpoints file ${file}: ${errorMessage(error)}`,
      'pass -endpointsFile <path> (default endpoints.json)',
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid JSON: ${errorMessage(error)}`);
  }
  return parseEndpoints(data, file);
}
