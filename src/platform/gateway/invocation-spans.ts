/**
 * The spans of one invocation through the gateway, built from what the gateway measured.
 * Pure: ids and times come in.
 *
 *   gateway (SERVER, hivelab-gateway)
 *   ├── activator   (only when the request was buffered; cold-start phases as tags)
 *   ├── queue-proxy (waiting for a slot under containerConcurrency)
 *   └── <function>  (CLIENT, service = function name; instance CPU time and peak RSS)
 */
import type { Span } from '../../spans/span.js';
import type { ColdStartPhases } from '../sandbox/sandbox.js';

export const GATEWAY_SERVICE = 'hivelab-gateway';

export interface InvocationRecord {
  traceId: string;
  /** The caller's span id, when the request carried a trace context. */
  parentId: string | undefined;
  gatewaySpanId: string;
  queueSpanId: string;
  activatorSpanId: string;
  clientSpanId: string;
  method: string;
  path: string;
  status: number;
  functionName: string;
  namespace: string;
  /** Epoch µs: request arrived, slot acquired (forwarding starts), response done. */
  startUs: number;
  acquiredUs: number;
  endUs: number;
  /** Undefined when no slot was acquired (e.g. 503, or timed out in the buffer). */
  instanceId: string | undefined;
  instancePort: number | undefined;
  cold: boolean;
  buffered: boolean;
  queueWaitUs: number;
  phases: ColdStartPhases | undefined;
  /** CPU time of the instance during the invocation, µs. */
  cpuUs: number | undefined;
  /** Peak RSS of the instance during the invocation, bytes. */
  peakRssBytes: number | undefined;
  /** Why it failed, for the `error` tag. */
  error: string | undefined;
}

export function buildInvocationSpans(r: InvocationRecord): Span[] {
  const gatewayEndpoint = { serviceName: GATEWAY_SERVICE };
  const common = {
    'function.name': r.functionName,
    namespace: r.namespace,
    ...(r.instanceId ? { 'instance.id': r.instanceId } : {}),
  };
  const gatewayTags: Record<string, string> = {
    'http.method': r.method,
    'http.path': r.path,
    'http.status_code': String(r.status),
    ...common,
    cold: String(r.cold),
    'queue.wait_us': String(r.queueWaitUs),
    'activator.buffered': String(r.buffered),
    ...(r.error ? { error: r.error } : {}),
  };
  const spans: Span[] = [
    {
      traceId: r.traceId,
      id: r.gatewaySpanId,
      ...(r.parentId ? { parentId: r.parentId } : {}),
      name: `${r.method.toLowerCase()} ${r.functionName}`,
      kind: 'SERVER',
      timestamp: r.startUs,
      duration: Math.max(1, r.endUs - r.startUs),
      localEndpoint: gatewayEndpoint,
      tags: gatewayTags,
    },
  ];
  const waitEndUs = r.instanceId ? r.acquiredUs : r.endUs;
  if (r.buffered) {
    spans.push({
      traceId: r.traceId,
      id: r.activatorSpanId,
      parentId: r.gatewaySpanId,
      name: 'activator',
      timestamp: r.startUs,
      duration: Math.max(1, waitEndUs - r.startUs),
      localEndpoint: gatewayEndpoint,
      tags: { ...common, cold: String(r.cold), ...(r.cold && r.phases ? phaseTags(r.phases) : {}) },
    });
  }
  spans.push({
    traceId: r.traceId,
    id: r.queueSpanId,
    parentId: r.gatewaySpanId,
    name: 'queue-proxy',
    timestamp: r.startUs,
    duration: Math.max(1, waitEndUs - r.startUs),
    localEndpoint: gatewayEndpoint,
    tags: { ...common, 'queue.wait_us': String(r.queueWaitUs) },
  });
  if (r.instanceId) {
    spans.push({
      traceId: r.traceId,
      id: r.clientSpanId,
      parentId: r.gatewaySpanId,
      name: r.functionName,
      kind: 'CLIENT',
      timestamp: r.acquiredUs,
      duration: Math.max(1, r.endUs - r.acquiredUs),
      localEndpoint: { serviceName: r.functionName },
      remoteEndpoint: {
        serviceName: r.functionName,
        ipv4: '127.0.0.1',
        ...(r.instancePort ? { port: r.instancePort } : {}),
      },
      tags: {
        ...common,
        'http.status_code': String(r.status),
        ...(r.cpuUs !== undefined ? { 'cpu.ms': (r.cpuUs / 1000).toFixed(3) } : {}),
        ...(r.peakRssBytes !== undefined ? { 'peak_mem.kb': String(Math.round(r.peakRssBytes / 1024)) } : {}),
        ...(r.error ? { error: r.error } : {}),
      },
    });
  }
  return spans;
}

function phaseTags(phases: ColdStartPhases): Record<string, string> {
  return {
    'coldstart.spawn_ms': phases.spawnMs.toFixed(3),
    'coldstart.runtime_init_ms': phases.runtimeInitMs.toFixed(3),
    'coldstart.code_load_ms': phases.codeLoadMs.toFixed(3),
    'coldstart.function_init_ms': phases.functionInitMs.toFixed(3),
    'coldstart.ready_ms': phases.readyMs.toFixed(3),
  };
}
