/**
 * Sinks for imported spans: a Zipkin v2 JSON array written to a file or stdout as it
 * grows, and a collector that gets them by `POST /api/v2/spans` in batches, each awaited
 * (no span is dropped: 429/503 and network errors are retried with backoff, honouring
 * `Retry-After`; anything else stops the import with the collector's reason).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { UserError, errorMessage } from '../../errors.js';
import { encodeZipkinJson } from '../../spans/index.js';
import type { SpanSink } from './import-sidecar-files.js';

/** A JSON array of spans on `out` (a path, or `-` for stdout). */
export function jsonArraySink(out: string): SpanSink {
  const stream: Writable = out === '-' ? process.stdout : createWriteStream(out);
  let first = true;
  const put = async (text: string): Promise<void> => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  return {
    async write(spans) {
      const body = encodeZipkinJson(spans).slice(1, -1);
      if (body === '') return;
      await put((first ? '[' : ',') + body);
      first = false;
    },
    async close() {
      await put(first ? '[]\n' : ']\n');
      if (out !== '-') {
        stream.end();
        await once(stream, 'finish');
      }
    },
  };
}

/** Options of {@link collectorSink}. */
export interface CollectorSinkOptions {
  /** The collector's base URL or its `/api/v2/spans` URL. */
  url: string;
  /** Tries per batch on 429/503/network errors. @default 6 */
  maxTries?: number;
  /** First backoff; doubles per try, capped at 5 s. @default 200 */
  backoffMs?: number;
}

/** Pure: the spans endpoint for a base URL or the endpoint itself. */
export function spansEndpoint(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(
      `--collector must be an http(s) URL, got ${JSON.stringify(url)}`,
      'e.g. http://127.0.0.1:9411',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError(
      `--collector must be http or https, got ${JSON.stringify(url)}`,
      'e.g. http://127.0.0.1:9411',
    );
  }
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/api/v2/spans';
  return parsed;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts every batch to a Zipkin v2 collector and waits for its 2xx. */
export function collectorSink(options: CollectorSinkOptions): SpanSink {
  const endpoint = spansEndpoint(options.url);
  const maxTries = options.maxTries ?? 6;
  const backoffMs = options.backoffMs ?? 200;
  return {
    async write(spans) {
      if (spans.length === 0) return;
      const body = encodeZipkinJson(spans);
      for (let attempt = 1; ; attempt++) {
        let retryAfterMs: number | undefined;
        let reason: string;
        try {
          const response = await fetch(endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          if (response.ok) {
            await response.body?.cancel();
            return;
          }
          reason = `${response.status} ${(await response.text()).trim()}`;
          if (response.status !== 429 && response.status !== 503) {
            throw new UserError(`error while posting spans to ${endpoint.href}: ${reason}`);
          }
          const header = Number(response.headers.get('retry-after'));
          if (Number.isFinite(header) && header > 0) retryAfterMs = header * 1000;
        } catch (error) {
          if (error instanceof UserError) throw error;
          reason = errorMessage(error);
        }
        if (attempt >= maxTries) {
          throw new UserError(
            `error while posting spans to ${endpoint.href}: ${reason} (after ${attempt} tries)`,
            'is the collector running? e.g. hivelab collector --port 9411',
          );
        }
        await sleep(Math.min(5_000, retryAfterMs ?? backoffMs * 2 ** (attempt - 1)));
      }
    },
    async close() {},
  };
}
