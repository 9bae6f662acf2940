import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { invoke } from './invoke.js';
import {
  latencyFromScheduledUs,
  latencyFromSendUs,
  latenessUs,
  type RequestRecord,
} from './request-record.js';
import { startGreeterServer, startHttpServer, type LoopbackServer } from './testing/loopback-servers.js';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function track(server: Promise<LoopbackServer>): Promise<LoopbackServer> {
  const s = await server;
  servers.push(s);
  return s;
}
const byIndex = (records: RequestRecord[]): RequestRecord[] => [...records].sort((a, b) => a.index - b.index);
const endpoints = [
  { hostname: 'helloworld-0.default.localhost', eventing: false },
  { hostname: 'helloworld-1.default.localhost', eventing: false },
];

describe('invoke (gRPC)', () => {
  it('sends rps × time requests round-robin with vHiveMetadata and counts them', async () => {
    const server = await track(startGreeterServer({ responseHeaders: { 'x-hivelab-cold': '0' } }));
    const result = await invoke({
      endpoints,
      rps: 20,
      durationS: 1,
      port: server.port,
      timeoutMs: 5000,
      seed: 1,
    });
    expect(result.summary).toMatchObject({ issued: 20, completed: 20, failed: 0, cold: 0, seed: 1 });
    // Round-robin by schedule index; two channels, so arrival order at the server may interleave.
    for (const r of result.records) expect(r.endpoint).toBe(endpoints[r.index % 2]!.hostname);
    const authorities = server.received.map((r) => r.authority);
    expect(authorities.filter((a) => a === 'helloworld-0.default.localhost').length).toBe(10);
    expect(authorities.filter((a) => a === 'helloworld-1.default.localhost').length).toBe(10);
    const metadata = JSON.parse(server.received[0]!.body) as Record<string, string>;
    expect(Object.keys(metadata)).toEqual(['WorkflowId', 'InvocationId', 'InvokedOn']);
    // Sends follow the plan: request i goes out no earlier than i × 50 ms.
    for (const r of result.records) expect(r.sentMs).toBeGreaterThanOrEqual(r.index * 50 - 0.001);
    // completed / max(planned 1 s, last send): 20 when on time, a little less on a starved machine.
    expect(result.summary.achievedRps).toBeGreaterThan(15);
    expect(result.summary.achievedRps).toBeLessThanOrEqual(20);
  });

  it('waits for requests in flight at the end and counts them', async () => {
    const server = await track(startGreeterServer({ delayMs: 400 }));
    const result = await invoke({ endpoints, rps: 10, durationS: 0.5, port: server.port, timeoutMs: 5000 });
    expect(result.summary).toMatchObject({ issued: 5, completed: 5 });
    for (const r of result.records) expect(latencyFromSendUs(r)).toBeGreaterThanOrEqual(390_000);
  });

  it('counts deadlines as timeouts, without latencies in the histograms', async () => {
    const server = await track(startGreeterServer({ delayMs: 1500 }));
    const result = await invoke({ endpoints, rps: 10, durationS: 0.3, port: server.port, timeoutMs: 100 });
    expect(result.summary).toMatchObject({ issued: 3, completed: 0, failed: 3 });
    expect(result.summary.errors.timeout).toBe(3);
    expect(result.summary.latencyFromScheduledUs.count).toBe(0);
  });

  it('marks cold starts from the gateway metadata', async () => {
    const server = await track(
      startGreeterServer({ responseHeaders: { 'x-hivelab-cold': '1', 'x-hivelab-instance-id': 'i-1' } }),
    );
    const result = await invoke({ endpoints, rps: 10, durationS: 0.2, port: server.port, timeoutMs: 5000 });
    expect(result.summary.cold).toBe(2);
    expect(result.records[0]!.outcome.instanceId).toBe('i-1');
  });
});

describe('measuring right', () => {
  it('a slow serial server: latency from the scheduled time grows with the queue', async () => {
    // Concurrency-1 server, 60 ms per request, asked for 40 rps: it falls behind by 35 ms per request.
    const server = await track(startHttpServer({ delayMs: 60, serial: true }));
    const result = await invoke({
      endpoints,
      rps: 40,
      durationS: 0.5,
      port: server.port,
      timeoutMs: 10_000,
      protocol: 'http',
    });
    const records = byIndex(result.records);
    expect(records.length).toBe(20);
    const first = latencyFromScheduledUs(records[0]!);
    const last = latencyFromScheduledUs(records[19]!);
    // The last one waited for the 19 before it: about 20 × 60 - 19 × 25 = 725 ms.
    expect(last).toBeGreaterThan(first + 400_000);
    // The invoker kept to its plan while the server was queueing (open loop): its sends
    // were far less late than the queue grew (generous bound for a busy machine).
    expect(result.summary.latenessUs.p50).toBeLessThan(150_000);
  });

  it('a stalled invoker: latency from the schedule includes the stall, from the send does not', async () => {
    const server = await track(startHttpServer());
    // Block the invoker's event loop for 300 ms after the 5th answer, as a saturated load
    // generator would: sends planned in that window go out late.
    const stall = (done: number): void => {
      if (done !== 5) return;
      const until = performance.now() + 300;
      while (performance.now() < until);
    };
    const result = await invoke({
      onProgress: stall,
      endpoints,
      rps: 50,
      durationS: 1,
      port: server.port,
      timeoutMs: 10_000,
      protocol: 'http',
    });
    const late = result.records.filter((r) => latenessUs(r) > 100_000);
    expect(late.length).toBeGreaterThan(5);
    for (const r of late) {
      expect(latencyFromScheduledUs(r)).toBeGreaterThan(100_000);
      expect(latencyFromScheduledUs(r) - latencyFromSendUs(r)).toBeCloseTo(latenessUs(r), -1);
    }
    // ~15 of the 50 sends fall in the stall; at most the one in flight when it began has a
    // long latency from its send (its answer is read after the stall), so compare p90s.
    expect(result.summary.latencyFromScheduledUs.p90).toBeGreaterThan(
      result.summary.latencyFromSendUs.p90 + 100_000,
    );
  });

  it('HTTP: method, path, body and Host per endpoint', async () => {
    const server = await track(startHttpServer());
    const result = await invoke({
      endpoints,
      rps: 10,
      durationS: 0.2,
      port: server.port,
      timeoutMs: 5000,
      protocol: 'http',
      http: { method: 'POST', path: '/work', body: '{"n":1}' },
    });
    expect(result.summary.completed).toBe(2);
    expect(server.received.map((r) => [r.authority, r.body])).toEqual([
      ['helloworld-0.default.localhost', '{"n":1}'],
      ['helloworld-1.default.localhost', '{"n":1}'],
    ]);
  });
});

describe('-trace', () => {
  it('propagates B3 and W3C context and posts one CLIENT span per request tagged with the run id', async () => {
    const target = await track(startGreeterServer());
    const posted: unknown[] = [];
    const zipkin = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posted.push(...(JSON.parse(Buffer.concat(chunks).toString()) as unknown[]));
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => zipkin.listen(0, '127.0.0.1', r));
    const port = (zipkin.address() as { port: number }).port;
    try {
      const result = await invoke({
        endpoints,
        rps: 10,
        durationS: 0.3,
        port: target.port,
        timeoutMs: 5000,
        zipkinUrl: `http://127.0.0.1:${port}/api/v2/spans`,
        runId: 'run-42',
      });
      expect(result.tracing).toEqual({ sent: 3, failed: 0, dropped: 0 });
      const headers = target.received[0]!.headers;
      expect(headers['x-b3-traceid']).toMatch(/^[0-9a-f]{32}$/);
      expect(headers.traceparent).toBe(`00-${headers['x-b3-traceid']}-${headers['x-b3-spanid']}-01`);
      const span = posted.find(
        (s) => (s as { traceId: string }).traceId === headers['x-b3-traceid'],
      ) as Record<string, unknown>;
      expect(span).toMatchObject({
        kind: 'CLIENT',
        id: headers['x-b3-spanid'],
        tags: { 'hivelab.run_id': 'run-42', status: 'OK' },
      });
      expect(result.records.every((r) => /^[0-9a-f]{32}$/.test(r.traceId))).toBe(true);
    } finally {
      await new Promise<void>((r) => zipkin.close(() => r()));
    }
  });
});
