// The chain end to end, as seed 000 runs it: vSwarm-style manifests applied unchanged to a
// real platform, the entry called over gRPC by its cluster-local name, the real clip decoded,
// every frame classified, and the gateway's spans of all hops in one trace in the collector.
// Instances run the built JavaScript: `npm run build` first, as `npm test` does.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { applyManifests, loadManifests, type ManifestService } from '../../deploy/index.js';
import { packageRoot } from '../../package-root.js';
import { startPlatform, type RunningPlatform } from '../../platform/index.js';
import type { Span } from '../../spans/index.js';
import { MemoryTraceStore } from '../../store/index.js';
import { GREETER_SERVICE, HELLOWORLD_PROTO_PATH } from '../helloworld-proto.js';
import { loadImagenetLabels } from './labels.js';
import { nextHop } from './next-hop.js';

const examples = path.join(packageRoot, 'examples', 'video-analytics');
let collector: RunningCollector;
let platform: RunningPlatform;
let storeDir: string;

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-video-store-'));
  collector = await startCollector({ port: 0, otlpPort: null, store: new MemoryTraceStore() });
  platform = await startPlatform({ port: 0, zipkinUrl: `${collector.url}/api/v2/spans` });
});
afterAll(async () => {
  await platform.close();
  await collector.close();
  await rm(storeDir, { recursive: true, force: true });
});

/** Calls streaming's SayHello by its cluster-local name, in a trace of our own; returns the message and the trace id. */
async function invokeStreaming(): Promise<{ message: string; traceId: string }> {
  const traceId = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const hop = nextHop({
    protoPath: HELLOWORLD_PROTO_PATH,
    service: GREETER_SERVICE,
    method: 'SayHello',
    addr: 'streaming.default.svc.cluster.local:80',
    gatewayUrl: platform.url,
  });
  try {
    const reply = await hop.call({ name: 'test' }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    return { message: String(reply.message), traceId };
  } finally {
    hop.close();
  }
}

/** The trace once `expectedRecogCalls` recog invocations arrived (the platform reports about every second). */
async function traceWithRecogCalls(traceId: string, expectedRecogCalls: number): Promise<Span[]> {
  let spans: Span[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    const response = await fetch(`${collector.url}/api/v2/trace/${traceId}`);
    if (response.ok) spans = (await response.json()) as Span[];
    if (recogCalls(spans).length >= expectedRecogCalls && spans.some((s) => s.name === 'post streaming'))
      break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return spans;
}

function recogCalls(spans: Span[]): Span[] {
  return spans.filter((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'recog');
}

const labels = new Set(loadImagenetLabels());

function deploy(services: ManifestService[]): Promise<unknown> {
  return applyManifests(services, platform);
}

describe('video analytics (vSwarm) on the platform', () => {
  it('INLINE, 6 frames: one trace with streaming, decoder and recog called 6 times in sequence', async () => {
    const services = await loadManifests([path.join(examples, 'inline')], { env: {} });
    expect(services.map((s) => s.spec.name).sort()).toEqual(['decoder', 'recog', 'streaming']);
    await deploy(services);

    const { message, traceId } = await invokeStreaming();
    // Top-5 labels per frame, each frame's answer followed by "," as vSwarm's decoder joins them.
    expect(message.length).toBeGreaterThan(0);
    expect([...labels].some((label) => message.startsWith(label))).toBe(true);

    const spans = await traceWithRecogCalls(traceId, 6);
    const recog = recogCalls(spans).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    expect(recog).toHaveLength(6);
    for (let i = 1; i < recog.length; i++) {
      // In sequence: each frame's call starts after the previous one ended.
      expect(recog[i]!.timestamp!).toBeGreaterThanOrEqual(recog[i - 1]!.timestamp! + recog[i - 1]!.duration!);
    }
    expect(
      spans.filter((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'decoder'),
    ).toHaveLength(1);
    expect(
      spans.filter((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'streaming'),
    ).toHaveLength(1);
  }, 120_000);

  it('S3 through the local object store, 1 frame: recog once, the video and the frame stored', async () => {
    const services = await loadManifests([path.join(examples, 's3_single')], { env: {} });
    for (const { spec } of services) {
      expect(spec.env.TRANSFER_TYPE).toBe('S3');
      expect(spec.env.AWS_ACCESS_KEY).toBe(''); // ${AWS_ACCESS_KEY} with nothing set
      spec.env.HIVELAB_OBJECT_STORE_DIR = storeDir;
    }
    await deploy(services);

    const { message, traceId } = await invokeStreaming();
    expect(message.endsWith(',')).toBe(true);
    expect(recogCalls(await traceWithRecogCalls(traceId, 1))).toHaveLength(1);
    expect(existsSync(path.join(storeDir, 'vhive-video-bench', 'streaming-video.mp4'))).toBe(true);
    expect(existsSync(path.join(storeDir, 'vhive-video-bench', 'decoder-frame-0.jpg'))).toBe(true);
  }, 120_000);
});
