/**
 * Zipkin proto3 (`zipkin.proto3.ListOfSpans`, `Content-Type: application/x-protobuf`) to and
 * from spans, with the same rules as the JSON decoder.
 */
import { SpanFormatError, type DecodeOptions, type DecodeResult } from './decode-result.js';
import { bytesToHex, hexToBytes, isAllZero } from '../tracing/index.js';
import { ipv4FromBytes, ipv4ToBytes, ipv6FromBytes, ipv6ToBytes } from './ip-address.js';
import { protoSchemas } from './proto-schemas.js';
import type { Endpoint, Span, SpanKind } from '../tracing/index.js';
import { Rejections, SpanRejected, checkEpochUs } from './span-rules.js';

/** A 64-bit integer as protobufjs hands it over: a `Long` (the `long` package) or a number. */
type Int64 = number | { toNumber(): number };

interface ProtoEndpoint {
  serviceName: string;
  ipv4: Uint8Array;
  ipv6: Uint8Array;
  port: number;
}

interface ProtoSpan {
  traceId: Uint8Array;
  parentId: Uint8Array;
  id: Uint8Array;
  kind: number;
  name: string;
  timestamp: Int64;
  duration: Int64;
  localEndpoint?: ProtoEndpoint | null;
  remoteEndpoint?: ProtoEndpoint | null;
  annotations: { timestamp: Int64; value: string }[];
  tags: Record<string, string>;
  debug: boolean;
  shared: boolean;
}

const KIND_BY_NUMBER: readonly (SpanKind | undefined)[] = [
  undefined,
  'CLIENT',
  'SERVER',
  'PRODUCER',
  'CONSUMER',
];
const NUMBER_BY_KIND: Readonly<Record<SpanKind, number>> = { CLIENT: 1, SERVER: 2, PRODUCER: 3, CONSUMER: 4 };

function toNumber(v: Int64): number {
  return typeof v === 'number' ? v : v.toNumber();
}

/** Decodes a `ListOfSpans` body. Throws `SpanFormatError` when it is not valid protobuf. */
export function decodeZipkinProto(body: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  let message: { spans: ProtoSpan[] };
  try {
    message = protoSchemas().zipkinListOfSpans.decode(body) as unknown as { spans: ProtoSpan[] };
  } catch (error) {
    throw new SpanFormatError(
      `malformed protobuf (expected zipkin.proto3.ListOfSpans): ${(error as Error).message}`,
    );
  }
  const nowUs = options.nowUs ?? Date.now() * 1000;
  const rejections = new Rejections(options.maxErrors ?? 10);
  const spans: Span[] = [];
  for (let i = 0; i < message.spans.length; i++) {
    try {
      spans.push(spanFromProto(message.spans[i]!, nowUs));
    } catch (error) {
      if (!(error instanceof SpanRejected)) throw error;
      rejections.add(i, error);
    }
  }
  return { spans, rejected: rejections.count, errors: rejections.errors };
}

function spanFromProto(p: ProtoSpan, nowUs: number): Span {
  const span: Span = { traceId: traceIdHex(p.traceId), id: spanIdHex(p.id, 'id') };
  if (p.parentId.length > 0) span.parentId = spanIdHex(p.parentId, 'parentId');
  if (p.kind !== 0) {
    const kind = KIND_BY_NUMBER[p.kind];
    if (kind === undefined)
      throw new SpanRejected(`kind must be 1-4 (CLIENT, SERVER, PRODUCER, CONSUMER), got ${p.kind}`);
    span.kind = kind;
  }
  if (p.name !== '') span.name = p.name;
  const timestamp = toNumber(p.timestamp);
  if (timestamp !== 0) {
    checkEpochUs(timestamp, 'timestamp', nowUs);
    span.timestamp = timestamp;
  }
  const duration = toNumber(p.duration);
  if (duration !== 0) span.duration = duration;
  const localEndpoint = endpointFromProto(p.localEndpoint, 'localEndpoint');
  if (localEndpoint) span.localEndpoint = localEndpoint;
  const remoteEndpoint = endpointFromProto(p.remoteEndpoint, 'remoteEndpoint');
  if (remoteEndpoint) span.remoteEndpoint = remoteEndpoint;
  if (p.annotations.length > 0) {
    span.annotations = p.annotations.map((a, i) => {
      const ts = toNumber(a.timestamp);
      checkEpochUs(ts, `annotations[${i}].timestamp`, nowUs);
      if (a.value === '') throw new SpanRejected(`annotations[${i}].value must be a non-empty string`);
      return { timestamp: ts, value: a.value };
    });
    span.annotations.sort((x, y) => x.timestamp - y.timestamp);
  }
  // protobufjs gives each message with tags its own fresh map object: take it as is. A
  // message without tags shares a frozen empty default, which is never handed out.
  for (const _key in p.tags) {
    span.tags = p.tags;
    break;
  }
  if (p.debug) span.debug = true;
  if (p.shared) span.shared = true;
  return span;
}

/** A trace id from 8 or 16 bytes; a zero high half drops to 8 bytes, as Zipkin does. */
function traceIdHex(bytes: Uint8Array): string {
  if (bytes.length !== 8 && bytes.length !== 16) {
    throw new SpanRejected(`traceId must be 8 or 16 bytes, got ${bytes.length}`);
  }
  if (isAllZero(bytes)) throw new SpanRejected('traceId must not be all zeros');
  if (bytes.length === 16 && isAllZero(bytes.subarray(0, 8))) return bytesToHex(bytes.subarray(8));
  return bytesToHex(bytes);
}

/** A span id from 8 bytes, not all zeros. Checked on the bytes: no second pass over hex. */
function spanIdHex(bytes: Uint8Array, field: string): string {
  if (bytes.length !== 8) throw new SpanRejected(`${field} must be 8 bytes, got ${bytes.length}`);
  if (isAllZero(bytes)) throw new SpanRejected(`${field} must not be all zeros`);
  return bytesToHex(bytes);
}

function endpointFromProto(p: ProtoEndpoint | null | undefined, field: string): Endpoint | undefined {
  if (!p) return undefined;
  const e: Endpoint = {};
  if (p.serviceName !== '') e.serviceName = p.serviceName;
  if (p.ipv4.length > 0) {
    const ipv4 = ipv4FromBytes(p.ipv4);
    if (ipv4 === undefined) throw new SpanRejected(`${field}.ipv4 must be 4 bytes, got ${p.ipv4.length}`);
    e.ipv4 = ipv4;
  }
  if (p.ipv6.length > 0) {
    const ipv6 = ipv6FromBytes(p.ipv6);
    if (ipv6 === undefined) throw new SpanRejected(`${field}.ipv6 must be 16 bytes, got ${p.ipv6.length}`);
    e.ipv6 = ipv6;
  }
  if (p.port !== 0) {
    if (p.port < 0 || p.port > 65535) throw new SpanRejected(`${field}.port must be 0-65535, got ${p.port}`);
    e.port = p.port;
  }
  return Object.keys(e).length > 0 ? e : undefined;
}

/** Encodes spans as a `ListOfSpans` (for clients and tests). Unparseable IPs are left out. */
export function encodeZipkinProto(spans: readonly Span[]): Uint8Array {
  const type = protoSchemas().zipkinListOfSpans;
  return type.encode({ spans: spans.map(spanToProto) }).finish();
}

function spanToProto(s: Span): Record<string, unknown> {
  return {
    traceId: hexToBytes(s.traceId),
    parentId: s.parentId === undefined ? undefined : hexToBytes(s.parentId),
    id: hexToBytes(s.id),
    kind: s.kind === undefined ? 0 : NUMBER_BY_KIND[s.kind],
    name: s.name,
    timestamp: s.timestamp,
    duration: s.duration,
    localEndpoint: endpointToProto(s.localEndpoint),
    remoteEndpoint: endpointToProto(s.remoteEndpoint),
    annotations: s.annotations,
    tags: s.tags,
    debug: s.debug,
    shared: s.shared,
  };
}

function endpointToProto(e: Endpoint | undefined): Record<string, unknown> | undefined {
  if (e === undefined) return undefined;
  return {
    serviceName: e.serviceName,
    ipv4: e.ipv4 === undefined ? undefined : ipv4ToBytes(e.ipv4),
    ipv6: e.ipv6 === undefined ? undefined : ipv6ToBytes(e.ipv6),
    port: e.port,
  };
}
