import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../collector/index.js';
import { invoke } from '../invoker/index.js';
import type { RunningCollector } from '../collector/index.js';
import { packageRoot } from '../package-root.js';
import type { Span } from '../spans/index.js';
import { MemoryTraceStore } from '../store/index.js';
import { RESPONSE_HEADERS } from './gateway/index.js';
import { builtinFunctionSpec, startPlatform } from './index.js';
import type { RunningPlatform } from './index.js';
import { request, testSpec, waitFor } from './testing/platform-kit.js';

interface HelloReply {
  message: string;
}
type SayHello = (
  request: { name: string },
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, reply?: HelloReply) => void,
) => grpc.ClientUnaryCall;
type GreeterClient = grpc.Client & { SayHello: SayHello };
type GreeterConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: object,
) => GreeterClient;

const definition = protoLoader.loadSync(path.join(packageRoot, 'proto', 'helloworld.proto'));
const Greeter = (
  grpc.loadPackageDefinition(definition) as unknown as { helloworld: { Greeter: GreeterConstructor } }
).helloworld.Greeter;

let collector: RunningCollector;
let platform: RunningPlatform;
const clients: grpc.Client[] = [];

beforeAll(async () => {
  collector = await startCollector({ port: 0, otlpPort: null, store: new MemoryTraceStore() });
  platform = await startPlatform({ port: 0, zipkinUrl: `${collector.url}/api/v2/spans` });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await platform.close();
  await collector.close();
});

/** A client that dials the gateway with `authority` as `:authority`, as vHive's invoker does. */
function greeter(authority: string): GreeterClient {
  const client = new Greeter(new URL(platform.url).host, grpc.credentials.createInsecure(), {
    'grpc.default_authority': authority,
  });
  clients.push(client);
  return client;
}

function sayHello(
  client: GreeterClient,
  name: string,
  metadata = new grpc.Metadata(),
): Promise<{ reply: HelloReply; headers: grpc.Metadata }> {
  return new Promise((resolve, reject) => {
    let headers = new grpc.Metadata();
    const call = client.SayHello({ name }, metadata, (error, reply) =>
      error ? reject(error) : resolve({ reply: reply!, headers }),
    );
    call.on('metadata', (m) => (headers = m));
  });
}

describe('gRPC over h2c through the gateway', () => {
  it('serves the built-in helloworld by :authority, from zero, with the cold flag in the initial metadata', async () => {
    await platform.deploy(
      builtinFunctionSpec('builtin:helloworld', 'helloworld-0', {
        autoscaling: { ...testSpec('x').autoscaling, initialScale: 0 },
      }),
    );
    const client = greeter(`helloworld-0.default.192.168.1.240.sslip.io:80`);
    const first = await sayHello(client, 'cold');
    expect(first.reply.message).toContain('cold');
    expect(first.headers.get(RESPONSE_HEADERS.cold)).toEqual(['1']);
    const second = await sayHello(client, 'warm');
    expect(second.headers.get(RESPONSE_HEADERS.cold)).toEqual(['0']);
    expect(second.headers.get(RESPONSE_HEADERS.instanceId)[0]).toMatch(/^helloworld-0-/);
    await platform.remove('default', 'helloworld-0');
  });

  it("passes the function's own gRPC status and metadata through, and propagates the trace context", async () => {
    await platform.deploy(testSpec('greeter', { protocol: 'h2c' }));
    const client = greeter('greeter.default.localhost');
    const metadata = new grpc.Metadata();
    metadata.set('traceparent', `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`);
    const ok = await sayHello(client, 'ada', metadata);
    expect(ok.reply.message).toMatch(
      new RegExp(`^Hello, ada! traceparent=00-${'c'.repeat(32)}-[0-9a-f]{16}-01$`),
    );
    expect(ok.reply.message).not.toContain('d'.repeat(16)); // the gateway's span is the parent now
    expect(ok.headers.get('x-function-pid')).toHaveLength(1);
    const failed = await sayHello(client, 'fail').catch((e: grpc.ServiceError) => e);
    expect(failed).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'asked to fail' });
    await platform.remove('default', 'greeter');
  });

  it('answers an unknown :authority with UNIMPLEMENTED and the list of functions', async () => {
    const error = await sayHello(greeter('nothere.default.localhost'), 'x').catch(
      (e: grpc.ServiceError) => e,
    );
    expect(error).toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    expect((error as grpc.ServiceError).details).toContain('no function for host');
  });

  it('answers gRPC to an HTTP/1.1-only function with UNIMPLEMENTED saying so, not garbage frames', async () => {
    await platform.deploy(builtinFunctionSpec('builtin:sleep', 'http-only'));
    const error = await sayHello(greeter('http-only.default.localhost'), 'x').catch(
      (e: grpc.ServiceError) => e,
    );
    expect(error).toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    expect((error as grpc.ServiceError).details).toContain('serves HTTP/1.1, not gRPC');
    expect((await request(platform.url, '/fn/http-only/?ms=1')).status).toBe(200);
  });
});

/** The gateway's stage annotations: all of them, in request order, inside its span. */
function expectStages(gateway: Span, connection: 'new' | 'reused'): void {
  const annotations = gateway.annotations ?? [];
  expect(annotations.map((a) => a.value)).toEqual([
    'stage:head_parsed',
    'stage:routed',
    'stage:admitted',
    `stage:connection_${connection}`,
    'stage:request_written',
    'stage:first_byte',
    'stage:response_written',
  ]);
  const times = annotations.map((a) => a.timestamp);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  expect(times[0]).toBeGreaterThanOrEqual(gateway.timestamp!);
  expect(times.at(-1)).toBeLessThanOrEqual(gateway.timestamp! + gateway.duration!);
}

describe('spans in the collector', () => {
  it('records gateway SERVER, activator, queue-proxy, gateway CLIENT and the function SERVER with the tags', async () => {
    await platform.deploy(testSpec('traced', { containerConcurrency: 1, autoscaling: { initialScale: 0 } }));
    const traceId = 'e'.repeat(32);
    const callerSpanId = 'f'.repeat(16);
    const response = await request(platform.url, '/fn/traced/alloc?mb=20', {
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(response.status).toBe(200);
    expect(response.headers[RESPONSE_HEADERS.traceId]).toBe(traceId);
    let spans: Span[] = [];
    await waitFor('spans in the collector', async () => {
      spans = await collector.store.getTrace(traceId);
      return spans.length >= 5;
    });
    const gateway = spans.find((s) => s.name === 'get traced')!;
    expect(gateway).toMatchObject({
      kind: 'SERVER',
      parentId: callerSpanId,
      localEndpoint: { serviceName: 'hivelab-gateway' },
    });
    expect(gateway.tags).toMatchObject({
      'http.method': 'GET',
      'http.path': '/alloc',
      'http.status_code': '200',
      'function.name': 'traced',
      namespace: 'default',
      cold: 'true',
      'activator.buffered': 'true',
    });
    expect(gateway.tags!['instance.id']).toMatch(/^traced-/);
    expect(Number(gateway.tags!['queue.wait_us'])).toBeGreaterThan(0);
    const activator = spans.find((s) => s.name === 'activator')!;
    expect(activator.parentId).toBe(gateway.id);
    // The test function is an executable that reports no phases: spawn and ready were measured.
    expect(Object.keys(activator.tags!).filter((k) => k.startsWith('coldstart.'))).toEqual([
      'coldstart.spawn_ms',
      'coldstart.ready_ms',
    ]);
    expect(Number(activator.tags!['coldstart.ready_ms'])).toBeGreaterThan(
      Number(activator.tags!['coldstart.spawn_ms']),
    );
    expect(spans.find((s) => s.name === 'queue-proxy')!.parentId).toBe(gateway.id);
    const client = spans.find((s) => s.kind === 'CLIENT')!;
    expect(client).toMatchObject({
      name: 'get /alloc',
      parentId: gateway.id,
      localEndpoint: { serviceName: 'hivelab-gateway' },
      remoteEndpoint: { serviceName: 'traced' },
    });
    const server = spans.find((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'traced')!;
    expect(server).toMatchObject({ name: 'get /alloc', parentId: client.id });
    expect(server.tags).toMatchObject({ cold: 'true', 'instance.id': gateway.tags!['instance.id'] });
    expect(Number(server.tags!['cpu.ms'])).toBeGreaterThan(0);
    // It held 20 MB: the peak RSS during the invocation says at least that.
    expect(Number(server.tags!['peak_mem.kb'])).toBeGreaterThan(20 * 1024);
    expectStages(gateway, 'new');

    // Warm, on the kept-alive upstream connection.
    const warmTraceId = 'a'.repeat(32);
    await request(platform.url, '/fn/traced/hello', {
      headers: { traceparent: `00-${warmTraceId}-${callerSpanId}-01` },
    });
    let warm: Span | undefined;
    await waitFor('the warm trace', async () => {
      warm = (await collector.store.getTrace(warmTraceId)).find((s) => s.name === 'get traced');
      return warm !== undefined;
    });
    expectStages(warm!, 'reused');
    await platform.remove('default', 'traced');
  });

  it('tags a non-OK grpc-status as an error, and the function sees its SERVER span as parent', async () => {
    await platform.deploy(testSpec('greeter-err', { protocol: 'h2c' }));
    const client = greeter('greeter-err.default.localhost');
    const traceId = '7'.repeat(32);
    const metadata = new grpc.Metadata();
    metadata.set('traceparent', `00-${traceId}-${'8'.repeat(16)}-01`);
    const ok = await sayHello(client, 'ada', metadata);
    const failed = await sayHello(client, 'fail', metadata).catch((e: grpc.ServiceError) => e);
    expect(failed).toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
    let spans: Span[] = [];
    await waitFor('both calls in the collector', async () => {
      spans = await collector.store.getTrace(traceId);
      return spans.filter((s) => s.localEndpoint?.serviceName === 'greeter-err').length >= 2;
    });
    const servers = spans.filter((s) => s.localEndpoint?.serviceName === 'greeter-err');
    expect(servers.map((s) => s.name)).toEqual([
      'helloworld.greeter/sayhello',
      'helloworld.greeter/sayhello',
    ]);
    const bad = servers.find((s) => s.tags?.error !== undefined)!;
    expect(bad.tags).toMatchObject({
      'rpc.grpc.status_code': String(grpc.status.FAILED_PRECONDITION),
      error: 'FAILED_PRECONDITION: asked to fail',
    });
    const good = servers.find((s) => s.tags?.error === undefined)!;
    expect(good.tags!['rpc.grpc.status_code']).toBe('0');
    // The instance was handed the function's SERVER span as its parent.
    expect(ok.reply.message).toContain(`traceparent=00-${traceId}-${good.id}-01`);
    const links = await (
      await fetch(`${collector.url}/api/v2/dependencies?endTs=${Date.now() + 1000}`)
    ).json();
    expect(links).toContainEqual({
      parent: 'hivelab-gateway',
      child: 'greeter-err',
      callCount: 2,
      errorCount: 1,
    });
    await platform.remove('default', 'greeter-err');
  });

  it("reads invoker → hivelab-gateway → helloworld-0 in the dependencies after the README's first experiment", async () => {
    await platform.deploy(builtinFunctionSpec('builtin:helloworld', 'helloworld-0'));
    const zipkinUrl = `${collector.url}/api/v2/spans`;
    const result = await invoke({
      endpoints: [{ hostname: 'helloworld-0.default.localhost', eventing: false }],
      rps: 20,
      durationS: 0.5,
      address: '127.0.0.1',
      port: Number(new URL(platform.url).port),
      timeoutMs: 10_000,
      zipkinUrl,
      pacer: 'thread',
    });
    expect(result.summary.completed).toBeGreaterThan(0);
    type Link = { parent: string; child: string; callCount: number };
    let links: Link[] = [];
    await waitFor('links in the collector', async () => {
      links = (await (
        await fetch(`${collector.url}/api/v2/dependencies?endTs=${Date.now() + 1000}`)
      ).json()) as Link[];
      const hop = (parent: string, child: string): number =>
        links.find((l) => l.parent === parent && l.child === child)?.callCount ?? 0;
      return (
        hop('invoker', 'hivelab-gateway') >= result.summary.completed &&
        hop('hivelab-gateway', 'helloworld-0') >= result.summary.completed
      );
    });
    expect(links.some((l) => l.parent === l.child)).toBe(false);
    await platform.remove('default', 'helloworld-0');
  });
});
