/**
 * Traces the UI's browser tests and benchmark send to a real collector:
 *
 *   hotel trace (ids from `hotelTrace`):
 *   frontend GET /hotels   |==================================================|
 *     frontend → search    |  |=================================|             (CLIENT)
 *       search Nearby      |   |===============================|              (SERVER, stage annotations)
 *         geo Nearby       |    |=========|                                   (cold start phases)
 *         rate GetRates    |               |==============|                   (tag with an XSS value)
 *     frontend → profile   |                                   |==========|   (sidecar stage children)
 *
 *   wide trace (`wideTrace`): one root with `fanout` children, each with `depth` levels,
 *   up to the requested span count (10 000 for the big-trace test).
 */
import type { ZipkinSpan } from '../src/model/zipkin-span.js';
import { hexId, makeSpan } from './make-span.js';

/** The tag value that must show as text everywhere. */
export const XSS_VALUE = '<img src=x onerror="window.__xss=1">';

/** A hotel-reservation-like trace of 8 spans starting at `startUs`; `slowRate` makes rate slower. */
export function hotelTrace(startUs: number, slowRateUs = 0): ZipkinSpan[] {
  const traceId = hexId(0xc) + hexId(0xd);
  const root = makeSpan({
    traceId,
    id: hexId(1),
    name: 'get /hotels',
    kind: 'SERVER',
    timestamp: startUs,
    duration: 50_000 + slowRateUs,
    localEndpoint: { serviceName: 'frontend' },
    tags: { 'http.method': 'GET', 'http.path': '/hotels' },
  });
  const client = makeSpan({
    traceId,
    id: hexId(2),
    parentId: root.id,
    name: 'search',
    kind: 'CLIENT',
    timestamp: startUs + 2_000,
    duration: 33_000 + slowRateUs,
    localEndpoint: { serviceName: 'frontend' },
    remoteEndpoint: { serviceName: 'search' },
  });
  const server = makeSpan({
    traceId,
    id: hexId(3),
    parentId: client.id,
    name: 'nearby',
    kind: 'SERVER',
    timestamp: startUs + 3_000,
    duration: 31_000 + slowRateUs,
    localEndpoint: { serviceName: 'search' },
    annotations: [
      { timestamp: startUs + 3_000, value: 'stage:queue' },
      { timestamp: startUs + 3_500, value: 'stage:proxy' },
    ],
  });
  const geo = makeSpan({
    traceId,
    id: hexId(4),
    parentId: server.id,
    name: 'geo.nearby',
    kind: 'SERVER',
    timestamp: startUs + 4_000,
    duration: 10_000,
    localEndpoint: { serviceName: 'geo' },
    tags: {
      'coldstart.spawn_ms': '1.000',
      'coldstart.runtime_init_ms': '4.000',
      'coldstart.code_load_ms': '6.000',
      'coldstart.function_init_ms': '7.000',
      'coldstart.ready_ms': '7.500',
      cold: 'true',
    },
  });
  const rate = makeSpan({
    traceId,
    id: hexId(5),
    parentId: server.id,
    name: 'rate.getrates',
    timestamp: startUs + 15_000,
    duration: 15_000 + slowRateUs,
    localEndpoint: { serviceName: 'rate' },
    tags: { note: XSS_VALUE, 'http.status_code': '200' },
  });
  const profileClient = makeSpan({
    traceId,
    id: hexId(6),
    parentId: root.id,
    name: 'profile',
    kind: 'CLIENT',
    timestamp: startUs + 36_000 + slowRateUs,
    duration: 11_000,
    localEndpoint: { serviceName: 'frontend' },
    remoteEndpoint: { serviceName: 'profile' },
  });
  const stageA = makeSpan({
    traceId,
    id: hexId(7),
    parentId: profileClient.id,
    name: 'sidecar request filters',
    timestamp: startUs + 36_200 + slowRateUs,
    duration: 1_500,
    localEndpoint: { serviceName: 'profile-sidecar' },
    tags: { 'sidecar.stage': 'request filters' },
  });
  const stageB = makeSpan({
    traceId,
    id: hexId(8),
    parentId: profileClient.id,
    name: 'sidecar upstream',
    timestamp: startUs + 37_800 + slowRateUs,
    duration: 8_000,
    localEndpoint: { serviceName: 'profile-sidecar' },
    tags: { 'sidecar.stage': 'upstream', error: 'upstream reset' },
  });
  return [root, client, server, geo, rate, profileClient, stageA, stageB];
}

/** A trace of `spanCount` spans: a root, `fanout` children per node, breadth first. */
export function wideTrace(startUs: number, spanCount: number, fanout = 10): ZipkinSpan[] {
  const traceId = hexId(0xe) + hexId(0xf);
  const spans: ZipkinSpan[] = [
    makeSpan({
      traceId,
      id: hexId(9),
      name: 'big request',
      kind: 'SERVER',
      timestamp: startUs,
      duration: 2_000_000,
      localEndpoint: { serviceName: 'gateway' },
    }),
  ];
  const services = ['gateway', 'auth', 'catalog', 'cart', 'pricing', 'inventory', 'shipping', 'db'];
  for (let i = 1; i < spanCount; i++) {
    const parent = spans[Math.floor((i - 1) / fanout)]!;
    const slot = (i - 1) % fanout;
    const width = Math.max(2, Math.floor((parent.duration ?? 1000) / fanout));
    spans.push(
      makeSpan({
        traceId,
        id: hexId(9),
        parentId: parent.id,
        name: `op-${i % 37}`,
        timestamp: (parent.timestamp ?? startUs) + slot * width,
        duration: Math.max(1, width - 1),
        localEndpoint: { serviceName: services[i % services.length]! },
        tags: { 'span.index': String(i) },
      }),
    );
  }
  return spans;
}

/** POSTs spans to a collector's Zipkin endpoint. */
export async function postSpans(collectorUrl: string, spans: readonly ZipkinSpan[]): Promise<void> {
  const res = await fetch(`${collectorUrl}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spans),
  });
  if (res.status !== 202) throw new Error(`posting spans: ${res.status} ${await res.text()}`);
}
