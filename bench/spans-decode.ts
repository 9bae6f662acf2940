/**
 * Span decode throughput: `npm run bench -- spans-decode [--ms N] [--rounds N] [--batch N]`.
 *
 * Batches of 100 realistic spans (~350 bytes each as Zipkin JSON) decoded in a loop, in
 * spans/s. Cases run interleaved in `--rounds` rounds of `--ms` each and the best round
 * counts, so that load from other processes on a shared machine skews the ratios less.
 * - ours: decodeZipkinJson, decodeZipkinProto, decodeOtlpJson, decodeOtlpProto;
 * - peer: the usual TypeScript approach, JSON.parse + a zod schema of the Zipkin v2 span,
 *   and protobufjs decode + toObject (generic conversion) for both protobuf formats;
 * - bare limit: JSON.parse of the body (JSON formats), protobufjs decode alone (protobuf).
 * Ratios are against the format's bare limit and against JSON.parse of Zipkin JSON.
 * Short run: `--ms 200 --rounds 3`; full run: `--ms 1000 --rounds 7` (defaults 500 and 5).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  decodeOtlpJson,
  decodeOtlpProto,
  decodeZipkinJson,
  decodeZipkinProto,
  encodeZipkinJson,
  encodeZipkinProto,
} from '../src/spans/index.js';
import type { DecodeResult, Span } from '../src/spans/index.js';
// eslint-disable-next-line hivelab/index-only-imports -- the protobufjs peer row decodes with the codec's own schemas
import { protoSchemas } from '../src/spans/proto-schemas.js';
import { benchFlags } from './lib/bench-kit.js';

function hex(n: number, length: number): string {
  return n.toString(16).padStart(length, '0').slice(-length);
}

/** A batch shaped like the platform's traces: gateway → function → downstream calls. */
function makeSpans(count: number, nowUs: number): Span[] {
  const services = ['gateway', 'frontend', 'search', 'geo', 'rate', 'profile'];
  const spans: Span[] = [];
  for (let i = 0; i < count; i++) {
    const trace = Math.floor(i / 5);
    const service = services[i % services.length]!;
    const span: Span = {
      traceId: hex(0x5eed0000 + trace, 16) + hex(0x1234abcd + trace, 16),
      id: hex(0xa0000000 + i, 16),
      name: i % 2 === 0 ? 'post /fn/helloworld' : 'sayhello',
      kind: i % 2 === 0 ? 'CLIENT' : 'SERVER',
      timestamp: nowUs - 1_000_000 + i * 37,
      duration: 150 + ((i * 7919) % 5000),
      localEndpoint: { serviceName: service, ipv4: '10.0.0.7', port: 8080 },
      tags: { 'http.method': 'POST', 'http.status_code': '200', 'instance.id': `${service}-0-abc` },
    };
    if (i % 5 !== 0) span.parentId = hex(0xa0000000 + i - 1, 16);
    if (i % 2 === 0) span.remoteEndpoint = { serviceName: services[(i + 1) % services.length]! };
    spans.push(span);
  }
  return spans;
}

function otlpAttr(key: string, value: string): Record<string, unknown> {
  return { key, value: { stringValue: value } };
}

/** The same spans as an OTLP request, shaped as OpenTelemetry's JSON serializer writes it. */
function toOtlpJson(
  spans: readonly Span[],
  id: (hex: string) => unknown = (h) => h,
): Record<string, unknown> {
  const byService = new Map<string, Span[]>();
  for (const s of spans) {
    const name = s.localEndpoint?.serviceName ?? 'unknown';
    byService.set(name, [...(byService.get(name) ?? []), s]);
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: {
        attributes: [otlpAttr('service.name', service), otlpAttr('telemetry.sdk.language', 'nodejs')],
      },
      scopeSpans: [
        {
          scope: { name: 'hivelab', version: '0.1.0' },
          spans: list.map((s) => ({
            traceId: id(s.traceId),
            spanId: id(s.id),
            parentSpanId: s.parentId === undefined ? undefined : id(s.parentId),
            name: s.name,
            kind: s.kind === 'SERVER' ? 2 : 3,
            startTimeUnixNano: `${s.timestamp! * 1000 + 123}`,
            endTimeUnixNano: `${(s.timestamp! + s.duration!) * 1000 + 456}`,
            attributes: Object.entries(s.tags ?? {}).map(([k, v]) => otlpAttr(k, v)),
            status: { code: 0 },
          })),
        },
      ],
    })),
  };
}

const zodEndpoint = z
  .object({
    serviceName: z.string().optional(),
    ipv4: z.string().optional(),
    port: z.number().int().optional(),
  })
  .optional();
const zodSpan = z.object({
  traceId: z.string().regex(/^([0-9a-f]{16}|[0-9a-f]{32})$/),
  id: z.string().regex(/^[0-9a-f]{16}$/),
  parentId: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
  name: z.string().optional(),
  kind: z.enum(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']).optional(),
  timestamp: z.number().int().positive().optional(),
  duration: z.number().int().nonnegative().optional(),
  localEndpoint: zodEndpoint,
  remoteEndpoint: zodEndpoint,
  annotations: z.array(z.object({ timestamp: z.number().int(), value: z.string() })).optional(),
  tags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
const zodSpans = z.array(zodSpan);

/** Runs `fn` repeatedly for about `ms`, returns spans/s. */
function measure(ms: number, spansPerCall: number, fn: () => number): number {
  for (let i = 0; i < 200; i++) fn(); // warm up (JIT)
  let calls = 0;
  let checksum = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 20; i++) checksum += fn();
    calls += 20;
    now = process.hrtime.bigint();
  }
  if (checksum !== calls * spansPerCall)
    throw new Error(`decoded ${checksum} spans, expected ${calls * spansPerCall}`);
  return (calls * spansPerCall) / (Number(now - start) / 1e9);
}

function count(result: DecodeResult): number {
  if (result.rejected !== 0) throw new Error(`benchmark spans rejected: ${result.errors.join('; ')}`);
  return result.spans.length;
}

const BARE = 'bare limit';

interface Row {
  format: string;
  impl: string;
  bytesPerSpan: number;
  spansPerSec: number;
}

function main(): void {
  const args = benchFlags({
    ms: { type: 'number', default: 500 },
    rounds: { type: 'number', default: 5, integer: true },
    batch: { type: 'number', default: 100, integer: true },
  });
  const nowUs = Date.now() * 1000;
  const spans = makeSpans(args.batch, nowUs);
  const zipkinJson = encodeZipkinJson(spans);
  const zipkinJsonBuffer = Buffer.from(zipkinJson);
  const zipkinProto = encodeZipkinProto(spans);
  const otlpObject = toOtlpJson(spans);
  const otlpJson = Buffer.from(JSON.stringify(otlpObject));
  const schemas = protoSchemas();
  const otlpProto = schemas.otlpExportRequest
    .encode(schemas.otlpExportRequest.fromObject(toOtlpJson(spans, (h) => Buffer.from(h, 'hex'))))
    .finish();
  const n = spans.length;
  const opts = { nowUs };
  const toObjectOptions = { longs: String, bytes: String, defaults: false };

  const cases: { row: Row; fn: () => number }[] = [];
  const add = (format: string, impl: string, bytes: number, fn: () => number): void => {
    cases.push({ row: { format, impl, bytesPerSpan: Math.round(bytes / n), spansPerSec: 0 }, fn });
  };
  const otlpSpanCount = (o: { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }): number =>
    o.resourceSpans.reduce((sum, r) => sum + r.scopeSpans.reduce((x, ss) => x + ss.spans.length, 0), 0);

  add(
    'zipkin json',
    BARE,
    zipkinJson.length,
    () => (JSON.parse(zipkinJsonBuffer.toString('utf8')) as unknown[]).length,
  );
  add('zipkin json', 'ours', zipkinJson.length, () => count(decodeZipkinJson(zipkinJsonBuffer, opts)));
  add(
    'zipkin json',
    'peer: JSON.parse + zod',
    zipkinJson.length,
    () => zodSpans.parse(JSON.parse(zipkinJsonBuffer.toString('utf8'))).length,
  );
  add('zipkin proto', BARE, zipkinProto.length, () => {
    return (schemas.zipkinListOfSpans.decode(zipkinProto) as unknown as { spans: unknown[] }).spans.length;
  });
  add('zipkin proto', 'ours', zipkinProto.length, () => count(decodeZipkinProto(zipkinProto, opts)));
  add('zipkin proto', 'peer: protobufjs toObject', zipkinProto.length, () => {
    const m = schemas.zipkinListOfSpans.decode(zipkinProto);
    return (schemas.zipkinListOfSpans.toObject(m, toObjectOptions) as { spans: unknown[] }).spans.length;
  });
  add('otlp json', BARE, otlpJson.length, () => otlpSpanCount(JSON.parse(otlpJson.toString('utf8'))));
  add('otlp json', 'ours', otlpJson.length, () => count(decodeOtlpJson(otlpJson, opts)));
  add('otlp proto', BARE, otlpProto.length, () =>
    otlpSpanCount(schemas.otlpExportRequest.decode(otlpProto) as never),
  );
  add('otlp proto', 'ours', otlpProto.length, () => count(decodeOtlpProto(otlpProto, opts)));
  add('otlp proto', 'peer: protobufjs toObject', otlpProto.length, () => {
    const m = schemas.otlpExportRequest.decode(otlpProto);
    return otlpSpanCount(schemas.otlpExportRequest.toObject(m, toObjectOptions) as never);
  });

  for (let round = 0; round < args.rounds; round++) {
    for (const c of cases) c.row.spansPerSec = Math.max(c.row.spansPerSec, measure(args.ms, n, c.fn));
  }
  const rows = cases.map((c) => c.row);
  const zipkinJsonParse = rows[0]!.spansPerSec;
  const bareOf = (format: string): number =>
    rows.find((r) => r.format === format && r.impl === BARE)!.spansPerSec;
  console.log(
    `span decode, batches of ${n} spans, best of ${args.rounds} rounds of ${args.ms} ms per case, node ${process.version}`,
  );
  console.log('bare limit: JSON.parse for JSON formats, protobufjs decode (no validation) for protobuf');
  console.log(
    'format        implementation               bytes/span     spans/s   vs bare   vs Zipkin JSON.parse',
  );
  const results = rows.map((r) => ({
    ...r,
    ratioToBare: r.spansPerSec / bareOf(r.format),
    ratioToZipkinJsonParse: r.spansPerSec / zipkinJsonParse,
  }));
  for (const r of results) {
    console.log(
      `${r.format.padEnd(13)} ${r.impl.padEnd(28)} ${String(r.bytesPerSpan).padStart(10)} ${Math.round(
        r.spansPerSec,
      )
        .toLocaleString('en-US')
        .padStart(
          11,
        )}   ${r.ratioToBare.toFixed(2).padStart(6)}×   ${r.ratioToZipkinJsonParse.toFixed(2).padStart(6)}×`,
    );
  }
  // The bundle runs from bench/results/.
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'spans-decode.json');
  const json = { batch: n, msPerRound: args.ms, rounds: args.rounds, node: process.version, rows: results };
  writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main();
