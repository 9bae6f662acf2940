import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startGreeterServer, startHttpServer, type LoopbackServer } from '../testing/loopback-servers.js';
import { createGrpcClient } from './grpc-client.js';
import { createHttpClient } from './http-client.js';
import type { TargetClient } from './target-client.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function track<T extends LoopbackServer | TargetClient>(thing: T): T {
  cleanups.push(() => thing.close());
  return thing;
}

/** A port nothing listens on: bind, read the port, close. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const gatewayHeaders = {
  'x-hivelab-cold': '1',
  'x-hivelab-instance-id': 'i-7',
  'x-hivelab-trace-id': 'abc123',
};

describe('grpc client', () => {
  it('calls SayHello with the endpoint as :authority, metadata and vHiveMetadata; reads gateway metadata', async () => {
    const server = track(await startGreeterServer({ responseHeaders: gatewayHeaders }));
    const client = track(createGrpcClient({ port: server.port, timeoutMs: 5000 }));
    const outcome = await client.send({
      hostname: 'helloworld-0.default.localhost',
      headers: { 'X-B3-TraceId': 'aa' },
      body: '{"WorkflowId":"w"}',
    });
    expect(outcome).toMatchObject({
      ok: true,
      status: 'OK',
      body: 'Hello, faas!',
      cold: true,
      instanceId: 'i-7',
      traceId: 'abc123',
    });
    expect(server.received[0]).toMatchObject({
      authority: 'helloworld-0.default.localhost',
      body: '{"WorkflowId":"w"}',
    });
    expect(server.received[0]!.headers['x-b3-traceid']).toBe('aa');
  });

  it('reuses one connection per endpoint, or dials per request when asked', async () => {
    for (const fresh of [false, true]) {
      const server = track(await startGreeterServer());
      const client = track(
        createGrpcClient({ port: server.port, timeoutMs: 5000, newConnectionPerRequest: fresh }),
      );
      for (let i = 0; i < 3; i++) {
        const outcome = await client.send({ hostname: 'h.localhost', headers: {} });
        expect(outcome.ok).toBe(true);
      }
      const peers = new Set(server.received.map((r) => r.peer));
      expect(peers.size).toBe(fresh ? 3 : 1);
    }
  });

  it('counts a deadline as timeout', async () => {
    const server = track(await startGreeterServer({ delayMs: 1000 }));
    const client = track(createGrpcClient({ port: server.port, timeoutMs: 100 }));
    const outcome = await client.send({ hostname: 'slow.localhost', headers: {} });
    expect(outcome).toMatchObject({ ok: false, status: 'DEADLINE_EXCEEDED', errorKind: 'timeout' });
  });

  it('counts a closed port as refused', async () => {
    const client = track(createGrpcClient({ port: await deadPort(), timeoutMs: 2000 }));
    const outcome = await client.send({ hostname: 'x.localhost', headers: {} });
    expect(outcome).toMatchObject({ ok: false, status: 'UNAVAILABLE', errorKind: 'refused' });
  });
});

describe('http client', () => {
  it('sends Host = endpoint hostname, method, path, body; reads gateway headers', async () => {
    const server = track(
      await startHttpServer({ responseHeaders: { ...gatewayHeaders, 'x-hivelab-cold': '0' } }),
    );
    const client = track(
      createHttpClient({ port: server.port, timeoutMs: 5000, method: 'POST', path: '/run' }),
    );
    const outcome = await client.send({
      hostname: 'trace-func-0.default.localhost',
      headers: {},
      body: '{"durationMs":5}',
    });
    expect(outcome).toMatchObject({
      ok: true,
      status: '200',
      body: '{"durationMs":5}',
      cold: false,
      instanceId: 'i-7',
    });
    expect(server.received[0]).toMatchObject({
      authority: 'trace-func-0.default.localhost',
      body: '{"durationMs":5}',
    });
  });

  it('keeps the connection alive across requests, or dials per request when asked', async () => {
    for (const fresh of [false, true]) {
      const server = track(await startHttpServer());
      const client = track(
        createHttpClient({ port: server.port, timeoutMs: 5000, newConnectionPerRequest: fresh }),
      );
      for (let i = 0; i < 3; i++) expect((await client.send({ hostname: 'h', headers: {} })).ok).toBe(true);
      expect(new Set(server.received.map((r) => r.peer)).size).toBe(fresh ? 3 : 1);
    }
  });

  it('opens a second connection instead of queueing behind a slow answer (open loop)', async () => {
    const server = track(await startHttpServer({ delayMs: 300 }));
    const client = track(createHttpClient({ port: server.port, timeoutMs: 5000 }));
    const outcomes = await Promise.all([1, 2, 3].map(() => client.send({ hostname: 'h', headers: {} })));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // Three connections: none of the requests waited for another's answer.
    expect(new Set(server.received.map((r) => r.peer)).size).toBe(3);
  });

  it('with maxConnections, waits for a free connection, and times out while waiting', async () => {
    const server = track(await startHttpServer({ delayMs: 100 }));
    const client = track(createHttpClient({ port: server.port, timeoutMs: 10_000, maxConnections: 1 }));
    const started = performance.now();
    const outcomes = await Promise.all([1, 2, 3].map(() => client.send({ hostname: 'h', headers: {} })));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(new Set(server.received.map((r) => r.peer)).size).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    const stuck = track(await startHttpServer({ delayMs: 2000 }));
    const waiting = track(createHttpClient({ port: stuck.port, timeoutMs: 200, maxConnections: 1 }));
    const timedOut = await Promise.all([1, 2].map(() => waiting.send({ hostname: 'h', headers: {} })));
    expect(timedOut.map((o) => o.errorKind)).toEqual(['timeout', 'timeout']);
  });

  it('reports non-2xx as status, slow answers as timeout, closed ports as refused', async () => {
    const failing = track(await startHttpServer({ status: 503 }));
    const slow = track(await startHttpServer({ delayMs: 1000 }));
    const statusOutcome = await track(createHttpClient({ port: failing.port, timeoutMs: 5000 })).send({
      hostname: 'h',
      headers: {},
    });
    expect(statusOutcome).toMatchObject({ ok: false, status: '503', errorKind: 'status' });
    const slowOutcome = await track(createHttpClient({ port: slow.port, timeoutMs: 100 })).send({
      hostname: 'h',
      headers: {},
    });
    expect(slowOutcome).toMatchObject({ ok: false, errorKind: 'timeout' });
    const refused = await track(createHttpClient({ port: await deadPort(), timeoutMs: 2000 })).send({
      hostname: 'h',
      headers: {},
    });
    expect(refused).toMatchObject({ ok: false, errorKind: 'refused' });
  });
});
