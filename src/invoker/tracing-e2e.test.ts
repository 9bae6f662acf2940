// `-trace` end to end: the invoker's client spans and the platform's spans meet in the
// real collector, in the same traces, findable by the run id. Instances run the built
// JavaScript: `npx tsc -p tsconfig.json` first, as `npm test` does.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../collector/index.js';
import { builtinFunctionSpec, startPlatform, type RunningPlatform } from '../platform/index.js';
import type { Span } from '../spans/index.js';
import { invoke } from './invoke.js';

/** The platform continued the trace: some span is a child of the invoker's client span. */
function continuedByGateway(trace: Span[]): boolean {
  const client = trace.find((s) => s.kind === 'CLIENT' && s.localEndpoint?.serviceName === 'invoker');
  return client !== undefined && trace.some((s) => s.parentId === client.id);
}

let dataDir: string;
let collector: RunningCollector;
let platform: RunningPlatform;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-invoker-trace-'));
  collector = await startCollector({ port: 0, otlpPort: null, dataDir });
  platform = await startPlatform({ port: 0, zipkinUrl: `${collector.url}/api/v2/spans` });
});
afterAll(async () => {
  await platform.close();
  await collector.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('-trace against the collector and the platform', () => {
  it("finds a run's traces by run id, each with the invoker's client span and the platform's spans", async () => {
    const status = await platform.deploy(builtinFunctionSpec('builtin:helloworld', 'traced-0'));
    const result = await invoke({
      endpoints: [{ hostname: new URL(status.url).hostname, eventing: false }],
      rps: 10,
      durationS: 0.5,
      port: Number(new URL(platform.url).port),
      timeoutMs: 10_000,
      zipkinUrl: `${collector.url}/api/v2/spans`,
      runId: 'run-e2e-1',
    });
    expect(result.summary.completed).toBe(5);
    expect(result.tracing).toEqual({ sent: 5, failed: 0, dropped: 0 });

    const query = `${collector.url}/api/v2/traces?serviceName=invoker&annotationQuery=${encodeURIComponent('hivelab.run_id=run-e2e-1')}&limit=100&lookback=600000`;
    // The platform's reporter flushes about every second: poll until its spans arrived.
    let traces: Span[][] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      traces = (await (await fetch(query)).json()) as Span[][];
      if (traces.length === 5 && traces.every(continuedByGateway)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(traces.length).toBe(5);
    const ids = new Set(result.records.map((r) => r.traceId));
    for (const trace of traces) {
      expect(ids.has(trace[0]!.traceId)).toBe(true);
      const client = trace.find((s) => s.kind === 'CLIENT' && s.localEndpoint?.serviceName === 'invoker');
      expect(client?.tags?.['hivelab.run_id']).toBe('run-e2e-1');
      // The gateway continued the trace: its spans are children of ours.
      expect(continuedByGateway(trace)).toBe(true);
    }
  }, 60_000);
});
