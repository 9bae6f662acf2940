import { describe, expect, it } from 'vitest';
import { buildInvocationSpans } from './invocation-spans.js';
import type { InvocationRecord } from './invocation-spans.js';

function record(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  return {
    traceId: 'a'.repeat(32),
    parentId: 'b'.repeat(16),
    gatewaySpanId: '1'.repeat(16),
    queueSpanId: '2'.repeat(16),
    activatorSpanId: '3'.repeat(16),
    clientSpanId: '4'.repeat(16),
    method: 'POST',
    path: '/hello',
    status: 200,
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
    phases: { spawnMs: 1, runtimeInitMs: 20, codeLoadMs: 5, functionInitMs: 2, readyMs: 30 },
    cpuUs: 1500,
    peakRssBytes: 40 * 1024 * 1024,
    error: undefined,
    ...overrides,
  };
}

describe('buildInvocationSpans', () => {
  it('builds gateway → activator, queue-proxy, client for a cold buffered request', () => {
    const spans = buildInvocationSpans(record());
    expect(spans.map((s) => s.name)).toEqual(['post helloworld', 'activator', 'queue-proxy', 'helloworld']);
    const [gateway, activator, queue, client] = spans;
    expect(gateway).toMatchObject({ kind: 'SERVER', parentId: 'b'.repeat(16), duration: 60_000 });
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
      'coldstart.code_load_ms': '5.000',
      'coldstart.function_init_ms': '2.000',
      'coldstart.ready_ms': '30.000',
    });
    expect(activator!.parentId).toBe(gateway!.id);
    expect(queue!.duration).toBe(50_000);
    expect(client).toMatchObject({
      kind: 'CLIENT',
      timestamp: 1_050_000,
      duration: 10_000,
      localEndpoint: { serviceName: 'helloworld' },
    });
    expect(client!.tags).toMatchObject({ 'cpu.ms': '1.500', 'peak_mem.kb': '40960' });
  });

  it('has no activator span when the request was not buffered, and no client span without an instance', () => {
    const warm = buildInvocationSpans(record({ buffered: false, cold: false }));
    expect(warm.map((s) => s.name)).not.toContain('activator');
    const rejected = buildInvocationSpans(
      record({ buffered: false, cold: false, instanceId: undefined, status: 503, error: 'overloaded' }),
    );
    expect(rejected.map((s) => s.name)).toEqual(['post helloworld', 'queue-proxy']);
    expect(rejected[0]!.tags!.error).toBe('overloaded');
  });
});
