/**
 * Where the end-to-end cold start's time goes (`bench/cold-start --breakdown`): the same cold
 * request as the '… e2e' row, on a second platform with tracing on, its spans sent to a
 * receiver in this process. The gateway's stage annotations (gateway-stages.ts) and the
 * activator span's `coldstart.ready_ms` are read back and put on the client's clock: the
 * client runs in this process, so its `performance.now()` and the gateway's stamps share one
 * time origin.
 *
 * Tracing costs something of its own (the gateway reads the instance's CPU and memory around
 * the call, the instance reports its span), so these runs are slower than the untimed rows:
 * the offsets say which step takes what, the e2e row says how long the whole is.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type * as PlatformApi from '../../src/platform/index.js';
import type { FunctionSpec } from '../../src/platform/index.js';
import type { HivelabSandboxDriver } from '../../src/platform/sandbox/index.js';
import { latencyMs } from './bench-kit.js';
import { grpcHelloOnce } from './grpc-hello.js';
import { getOnce } from './http-once.js';

interface ZipkinSpan {
  name?: string;
  timestamp?: number;
  annotations?: Array<{ timestamp: number; value: string }>;
  tags?: Record<string, string>;
  localEndpoint?: { serviceName?: string };
  remoteEndpoint?: { serviceName?: string };
}

/** The steps, in time order: median ms since the client began, and the step's own share. */
export interface BreakdownRow {
  step: string;
  atMs: number;
  stepMs: number;
}

const STAGES = [
  'stage:head_parsed',
  'stage:routed',
  'stage:admitted',
  'stage:connection_new',
  'stage:request_written',
  'stage:first_byte',
  'stage:response_written',
];

/** `runs` cold requests at `spec` (deployed at zero under a fresh name each time). */
export async function coldStartBreakdown(
  distDir: string,
  spec: FunctionSpec,
  runs: number,
): Promise<BreakdownRow[]> {
  const spans: ZipkinSpan[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      spans.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ZipkinSpan[]));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const api = (await import(pathToFileURL(`${distDir}/platform/index.js`).href)) as typeof PlatformApi;
  const drivers = new Map<string, HivelabSandboxDriver>();
  const platform = await api.startPlatform({
    port: 0,
    log: () => undefined,
    zipkinUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v2/spans`,
    createDriver: (kind, context) => {
      const driver = api.createSandboxDriver(kind, context);
      drivers.set(kind, driver);
      return driver;
    },
  });
  const offsets = new Map<string, number[]>();
  const push = (step: string, ms: number): void => {
    const list = offsets.get(step) ?? [];
    list.push(ms);
    offsets.set(step, list);
  };
  try {
    for (let i = 0; i < runs; i++) {
      const s: FunctionSpec = {
        ...spec,
        name: `${spec.name}-bd-${i}`,
        autoscaling: { ...spec.autoscaling, initialScale: 0, minScale: 0 },
      };
      await platform.deploy(s);
      const t0 = performance.now();
      const t0Us = (performance.timeOrigin + t0) * 1000;
      if (s.protocol === 'h2c')
        await grpcHelloOnce(Number(new URL(platform.url).port), `${s.name}.${s.namespace}.localhost`);
      else await getOnce(`${platform.url}/fn/${s.name}/?name=bench`);
      const totalMs = performance.now() - t0;
      await platform.remove(s.namespace, s.name);
      await drivers.get(s.sandbox)?.prepare(s);
      // The reporter sends in batches: wait until this run's spans have arrived.
      let mine: ZipkinSpan[] = [];
      for (let k = 0; k < 100; k++) {
        mine = spans.filter((sp) => JSON.stringify(sp).includes(`"${s.name}`) || sp.name?.includes(s.name));
        if (mine.some((sp) => sp.name === 'activator') || k === 99) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const stamps = new Map<string, number>();
      for (const sp of mine)
        for (const a of sp.annotations ?? []) stamps.set(a.value, (a.timestamp - t0Us) / 1000);
      for (const stage of STAGES) {
        const at =
          stamps.get(stage) ??
          (stage === 'stage:connection_new' ? stamps.get('stage:connection_reused') : undefined);
        if (at !== undefined) push(stage.replace('stage:', 'gateway: '), at);
      }
      const ready = mine.find((sp) => sp.name === 'activator')?.tags?.['coldstart.ready_ms'];
      if (ready !== undefined) push('sandbox: launch → ready (coldstart.ready_ms)', Number(ready));
      push('client: response ended', totalMs);
    }
  } finally {
    await platform.close();
    receiver.close();
  }
  const rows: BreakdownRow[] = [];
  let previous = 0;
  for (const [step, list] of offsets) {
    const atMs = latencyMs(list).p50Ms;
    // ready_ms is a duration, not an offset: it is the launch → ready part of 'admitted'.
    if (step.startsWith('sandbox:')) {
      rows.push({ step, atMs: Number.NaN, stepMs: atMs });
      continue;
    }
    rows.push({ step, atMs, stepMs: atMs - previous });
    previous = atMs;
  }
  return rows;
}
