/**
 * The ingest endpoints: `POST /api/v2/spans` (Zipkin v2 JSON or proto3) and
 * `POST /v1/traces` (OTLP/HTTP JSON or protobuf). Each reads the body within limits,
 * decodes it with the span codecs, admits the good spans into the bounded queue and
 * acknowledges only once the store made them durable.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../../errors.js';
import type { Span } from '../../spans/index.js';
import {
  SpanFormatError,
  decodeOtlpJson,
  decodeOtlpProto,
  decodeZipkinJson,
  decodeZipkinProto,
  encodeOtlpResponseJson,
  encodeOtlpResponseProto,
  otlpExportResponse,
} from '../../spans/index.js';
import { StoreUnavailableError } from '../../store/index.js';
import { readBody, send, sendText } from '../../http/index.js';
import type { Route } from '../http/router.js';
import type { Encoding, IngestCounters, Transport } from '../metrics.js';
import { bodyEncoding } from './content-type.js';
import type { IngestQueue } from './ingest-queue.js';

/** What the ingest routes share with the rest of the collector. */
export interface IngestContext {
  queue: IngestQueue;
  counters: IngestCounters;
  maxBodyBytes: number;
  /** Seconds a refused client should wait, sent as `Retry-After`. */
  retryAfterSeconds: number;
  /** Told about each append the store refused as unavailable (the collector logs them). */
  storeFailure?: (error: StoreUnavailableError) => void;
}

interface Decoded {
  spans: Span[];
  rejected: number;
  errors: readonly string[];
}

const MAX_ERRORS_SHOWN = 3;

/** The answer to a POST on Zipkin's v1 endpoint, which hivelab does not serve. */
const ZIPKIN_V1_MESSAGE =
  'Zipkin v1 is not supported: send Zipkin v2 JSON or proto3 to /api/v2/spans ' +
  '(zipkin-js: new HttpLogger({ endpoint, jsonEncoder: JSON_V2 }) with JSON_V2 from require("zipkin").jsonEncoder)';

/** The ingest routes; `otlpOnly` gives the routes of the separate OTLP listener. */
export function ingestRoutes(context: IngestContext, otlpOnly = false): Route[] {
  const otlp: Route = {
    method: 'POST',
    pattern: '/v1/traces',
    handler: (request, response) => ingest(context, 'otlp', request, response),
  };
  if (otlpOnly) return [otlp];
  return [
    otlp,
    {
      method: 'POST',
      pattern: '/api/v2/spans',
      handler: (request, response) => ingest(context, 'zipkin', request, response),
    },
    {
      method: 'POST',
      pattern: '/api/v1/spans',
      handler: (request) => {
        request.resume();
        throw new HttpError(400, ZIPKIN_V1_MESSAGE);
      },
    },
  ];
}

async function ingest(
  context: IngestContext,
  transport: Transport,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    await ingestOrThrow(context, transport, request, response);
  } catch (error) {
    if (error instanceof HttpError) context.counters.failedRequest(error.status);
    throw error;
  }
}

async function ingestOrThrow(
  context: IngestContext,
  transport: Transport,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const encoding = bodyEncoding(request.headers['content-type'], transport);
  const body = await readBody(request, context.maxBodyBytes);
  const decoded = decode(transport, encoding, body);
  const { spans, rejected } = decoded;
  context.counters.add(transport, encoding, { received: spans.length + rejected, rejected });
  const errorSummary = summarise(decoded.errors, rejected);
  if (spans.length === 0 && rejected > 0) {
    throw new HttpError(400, `every span was rejected (${rejected}): ${errorSummary}`);
  }
  const durable = context.queue.submit(spans);
  if (!durable) {
    context.counters.add(transport, encoding, { dropped: spans.length });
    throw new HttpError(
      transport === 'otlp' ? 429 : 503,
      `ingest queue is full (${context.queue.queuedSpans} of ${context.queue.maxQueuedSpans} spans waiting ` +
        `for the store): retry after ${context.retryAfterSeconds} s`,
      { 'retry-after': String(context.retryAfterSeconds) },
    );
  }
  try {
    await durable;
  } catch (error) {
    // The store is down, restarting, full or refusing: nothing was acknowledged, the client
    // keeps the spans and retries (OTLP and Zipkin clients retry on 503).
    if (!(error instanceof StoreUnavailableError)) throw error;
    context.counters.add(transport, encoding, { dropped: spans.length });
    context.storeFailure?.(error);
    throw new HttpError(503, `error while storing spans: ${error.message}; ${error.hint}`, {
      'retry-after': String(context.retryAfterSeconds),
    });
  }
  context.counters.add(transport, encoding, { accepted: spans.length });
  if (transport === 'otlp') {
    const answer = otlpExportResponse({ rejected, errors: decoded.errors.slice(0, MAX_ERRORS_SHOWN) });
    if (encoding === 'json') send(response, 200, encodeOtlpResponseJson(answer), 'application/json');
    else send(response, 200, encodeOtlpResponseProto(answer), 'application/x-protobuf');
  } else if (rejected > 0) {
    sendText(response, 202, `accepted ${spans.length} spans, rejected ${rejected}: ${errorSummary}`);
  } else {
    response.writeHead(202, { 'access-control-allow-origin': '*', 'content-length': '0' });
    response.end();
  }
}

function decode(transport: Transport, encoding: Encoding, body: Buffer): Decoded {
  try {
    if (encoding === 'proto') return transport === 'zipkin' ? decodeZipkinProto(body) : decodeOtlpProto(body);
    // The JSON decoders recognise Zipkin v1 and say how to switch (a SpanFormatError).
    return transport === 'zipkin' ? decodeZipkinJson(body) : decodeOtlpJson(body);
  } catch (error) {
    if (error instanceof SpanFormatError) {
      throw new HttpError(400, error.message);
    }
    throw error;
  }
}

function summarise(errors: readonly string[], rejected: number): string {
  if (rejected === 0) return '';
  const shown = errors.slice(0, MAX_ERRORS_SHOWN).join('; ');
  return errors.length > MAX_ERRORS_SHOWN ? `${shown}; …` : shown;
}
