import { describe, expect, it } from 'vitest';
import { linkDependencies } from '../../store/index.js';
import { buildInvocationSpans, operationName } from './invocation-spans.js';
import type { InvocationRecord } from './invocation-spans.js';

function record(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  return {
    traceId: 'a'.repeat(32),
    parentId: 'b'.repeat(16),
    gatewaySpanId: '1'.repeat(16),
    queueSpanId: '2'.repeat(16),
    activatorSpanId: '3'.repeat(16),
    clientSpanId: '4'.repeat(16),
    serverSpanId: '5'.repeat(16),
    method: 'POST',
    path: '/hello',
    grpc: false,
    status: 200,
    grpcStatus: undefined,
    grpcMessage: undefined,
    functionName: 'helloworld',
    namespace: 'default',
    startUs: 1_000_000,
    acquiredUs: 1_050_000,
    endUs: 1_060_000,
    instanceId: 'helloworld-abc',
    instancePort: 4242,
    cold: true,
    buffered: true,
    queueWaitUs: 50_000,
    phases: { spawnMs: 1, runtimeInitMs: 20, codeLoadMs: 25, functionInitMs: 27, readyMs: 30 },
    cpuUs: 1500,
    peakRssBytes: 40 * 1024 * 1024,
    error: undefined,
    ...overrides,
  };
}

/*
 *   invoker CLIENT (b…)                         (the caller, not built here)
 *   └── hivelab-gateway SERVER "post helloworld" (1…)
 *       ├── activator (3…)    ├── queue-proxy (2…)
 *       └── hivelab-gateway CLIENT "post /hello" (4…) → helloworld
 *           └── helloworld SERVER "post /hello" (5…)
 */
describe('buildInvocationSpans', () => {
  it('builds gateway SERVER → activator, queue-proxy, gateway CLIENT → function SERVER', () => {
    const spans = buildInvocationSpans(record());
    expect(spans.map((s) => [s.name, s.kind, s.localEndpoint?.serviceName, s.parentId])).toEqual([
      ['post helloworld', 'SERVER', 'hivelab-gateway', 'b'.repeat(16)],
      ['activator', undefined, 'hivelab-gateway', '1'.repeat(16)],
      ['queue-proxy', undefined, 'hivelab-gateway', '1'.repeat(16)],
      ['post /hello', 'CLIENT', 'hivelab-gateway', '1'.repeat(16)],
      ['post /hello', 'SERVER', 'helloworld', '4'.repeat(16)],
    ]);
    const [gateway, activator, queue, client, server] = spans;
    expect(gateway).toMatchObject({ duration: 60_000 });
    expect(gateway!.tags).toMatchObject({
      'http.method': 'POST',
      'http.path': '/hello',
      'http.status_code': '200',
      'function.name': 'helloworld',
      namespace: 'default',
      cold: 'true',
      'instance.id': 'helloworld-abc',
      'queue.wait_us': '50000',
      'activator.buffered': 'true',
    });
    expect(activator!.tags).toMatchObject({
      'coldstart.spawn_ms': '1.000',
      'coldstart.runtime_init_ms': '20.000',
      'coldstart.code_load_ms': '25.000',
      'coldstart.function_init_ms': '27.000',
      'coldstart.ready_ms': '30.000',
    });
    expect(queue!.duration).toBe(50_000);
    expect(client).toMatchObject({
      timestamp: 1_050_000,
      duration: 10_000,
      remoteEndpoint: { serviceName: 'helloworld', ipv4: '127.0.0.1', port: 4242 },
    });
    expect(client!.tags!['cpu.ms']).toBeUndefined();
    expect(server).toMatchObject({ timestamp: 1_050_000, duration: 10_000 });
    expect(server!.tags).toMatchObject({
      cold: 'true',
      'instance.id': 'helloworld-abc',
      'cpu.ms': '1.500',
      'peak_mem.kb': '40960',
    });
  });

  it('links caller → hivelab-gateway → function in Zipkin dependencies', () => {
    const caller = {
      traceId: 'a'.repeat(32),
      id: 'b'.repeat(16),
      name: 'invoke',
      kind: 'CLIENT' as const,
      timestamp: 999_000,
      duration: 70_000,
      localEndpoint: { serviceName: 'invoker' },
      remoteEndpoint: { serviceName: 'hivelab-gateway' },
    };
    expect(linkDependencies([[caller, ...buildInvocationSpans(record())]])).toEqual([
      { parent: 'hivelab-gateway', child: 'helloworld', callCount: 1, errorCount: 0 },
      { parent: 'invoker', child: 'hivelab-gateway', callCount: 1, errorCount: 0 },
    ]);
  });

  it('tags a non-OK gRPC status as an error that counts in errorCount', () => {
    const spans = buildInvocationSpans(
      record({
        grpc: true,
        method: 'POST',
        path: '/helloworld.Greeter/SayHello',
        grpcStatus: 12,
        grpcMessage: 'unknown service',
        cold: false,
        buffered: false,
      }),
    );
    const server = spans.find((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'helloworld')!;
    expect(server.name).toBe('helloworld.Greeter/SayHello');
    for (const span of spans.filter((s) => s.kind !== undefined)) {
      expect(span.tags).toMatchObject({
        'http.status_code': '200',
        'rpc.grpc.status_code': '12',
        error: 'UNIMPLEMENTED: unknown service',
      });
    }
    expect(linkDependencies([spans])).toEqual([
      { parent: 'hivelab-gateway', child: 'helloworld', callCount: 1, errorCount: 1 },
    ]);
    const ok = buildInvocationSpans(record({ grpc: true, grpcStatus: 0 }));
    expect(ok.every((s) => s.tags?.error === undefined)).toBe(true);
    expect(ok[0]!.tags!['rpc.grpc.status_code']).toBe('0');
  });

  it('writes only the cold-start phases that were measured', () => {
    const [, activator] = buildInvocationSpans(record({ phases: { spawnMs: 4, readyMs: 95 } }));
    expect(Object.keys(activator!.tags!).filter((k) => k.startsWith('coldstart.'))).toEqual([
      'coldstart.spawn_ms',
      'coldstart.ready_ms',
    ]);
  });

  it("marks where the sandbox was ready when a spec readinessProbe's wait followed", () => {
    const phases = { spawnMs: 4, sandboxReadyMs: 30, readyMs: 2030 };
    const [, activator] = buildInvocationSpans(record({ phases }));
    expect(
      Object.fromEntries(Object.entries(activator!.tags!).filter(([k]) => k.startsWith('coldstart.'))),
    ).toEqual({
      'coldstart.spawn_ms': '4.000',
      'coldstart.sandbox_ready_ms': '30.000',
      'coldstart.ready_ms': '2030.000',
    });
  });

  it("adds a container's own steps as offsets before spawn, and whether it unpacked", () => {
    const phases = {
      spawnMs: 40,
      readyMs: 120,
      container: { imageMs: 3, unpacked: false, networkMs: 2, createMs: 35 },
    };
    const [, activator] = buildInvocationSpans(record({ phases }));
    expect(
      Object.fromEntries(Object.entries(activator!.tags!).filter(([k]) => k.startsWith('coldstart.'))),
    ).toEqual({
      'coldstart.image_ms': '3.000',
      'coldstart.network_ms': '5.000',
      'coldstart.image_unpacked': 'false',
      'coldstart.spawn_ms': '40.000',
      'coldstart.ready_ms': '120.000',
    });
  });

  it('has no activator span when the request was not buffered, and no call spans without an instance', () => {
    const warm = buildInvocationSpans(record({ buffered: false, cold: false }));
    expect(warm.map((s) => s.name)).not.toContain('activator');
    const rejected = buildInvocationSpans(
      record({ buffered: false, cold: false, instanceId: undefined, status: 503, error: 'overloaded' }),
    );
    expect(rejected.map((s) => s.name)).toEqual(['post helloworld', 'queue-proxy']);
    expect(rejected[0]!.tags!.error).toBe('overloaded');
  });

  it('names the operation by gRPC method or HTTP method and path', () => {
    expect(operationName(true, 'POST', '/helloworld.Greeter/SayHello')).toBe('helloworld.Greeter/SayHello');
    expect(operationName(false, 'GET', '/alloc')).toBe('get /alloc');
  });
});
