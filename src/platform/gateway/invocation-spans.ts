/**
 * The spans of one invocation through the gateway, built from what the gateway measured,
 * shaped as Knative + Istio traces are. Pure: ids and times come in.
 *
 *   hivelab-gateway  SERVER  "get helloworld-0"        (the caller's span is its parent)
 *   ├── hivelab-gateway  activator    (only when buffered; cold-start phases as tags)
 *   ├── hivelab-gateway  queue-proxy  (waiting for a slot under containerConcurrency)
 *   └── hivelab-gateway  CLIENT "<operation>"  remote = helloworld-0
 *       └── helloworld-0  SERVER "<operation>"  (cold, instance.id, cpu.ms, peak_mem.kb,
 *                                                   fault.injected when a fault was)
 *           └── the function's own spans (`traced()`, `call()`): the trace context the
 *               instance receives names this SERVER span
 *
 * So Zipkin's dependency linker reads `caller → hivelab-gateway → helloworld-0`, and a chain
 * of functions calling each other through the gateway reads as a chain. The operation is the
 * gRPC method (`helloworld.Greeter/SayHello`) or `<method> <path>` for HTTP.
 */
import type { Annotation, Span } from '../../spans/index.js';
import type { ColdStartPhases } from '../sandbox/sandbox.js';
import { GRPC_STATUS_NAMES } from './exchange-record.js';

export const GATEWAY_SERVICE = 'hivelab-gateway';

export interface InvocationRecord {
  traceId: string;
  /** The caller's span id, when the request carried a trace context. */
  parentId: string | undefined;
  gatewaySpanId: string;
  queueSpanId: string;
  activatorSpanId: string;
  clientSpanId: string;
  /** The function's SERVER span: the parent the instance is told about. */
  serverSpanId: string;
  method: string;
  path: string;
  /** True for a gRPC call (`content-type: application/grpc…`). */
  grpc: boolean;
  status: number;
  /** The gRPC status of the answer (the instance's, or the gateway's own error answer). */
  grpcStatus: number | undefined;
  /** Its `grpc-message`, when there was one. */
  grpcMessage: string | undefined;
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
  /** Why the gateway failed the request, for the `error` tag. */
  error: string | undefined;
  /** The fault injected into this invocation (`delay=50ms`): tagged `fault.injected` on the function's span. */
  fault?: string | undefined;
  /** Annotations of the gateway's SERVER span (its stage breakdown), in time order. */
  annotations?: Annotation[];
}

/** Pure: the operation name of the call (`helloworld.Greeter/SayHello`, `get /alloc`). */
export function operationName(grpc: boolean, method: string, path: string): string {
  if (grpc) return path.startsWith('/') ? path.slice(1) : path;
  return `${method.toLowerCase()} ${path}`;
}

/** Pure: the `error` tag value of a failed invocation, or undefined when it succeeded. */
export function invocationError(r: InvocationRecord): string | undefined {
  if (r.error) return r.error;
  if (r.grpcStatus !== undefined && r.grpcStatus !== 0) {
    const name = GRPC_STATUS_NAMES[r.grpcStatus] ?? `code ${r.grpcStatus}`;
    return r.grpcMessage ? `${name}: ${r.grpcMessage}` : name;
  }
  if (r.status >= 500) return String(r.status);
  return undefined;
}

export function buildInvocationSpans(r: InvocationRecord): Span[] {
  const gatewayEndpoint = { serviceName: GATEWAY_SERVICE };
  const error = invocationError(r);
  const common = {
    'function.name': r.functionName,
    namespace: r.namespace,
    ...(r.instanceId ? { 'instance.id': r.instanceId } : {}),
  };
  const outcome: Record<string, string> = {
    'http.status_code': String(r.status),
    ...(r.grpcStatus !== undefined ? { 'rpc.grpc.status_code': String(r.grpcStatus) } : {}),
    ...(error !== undefined ? { error } : {}),
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
      ...(r.annotations && r.annotations.length > 0 ? { annotations: r.annotations } : {}),
      tags: {
        'http.method': r.method,
        'http.path': r.path,
        ...outcome,
        ...common,
        cold: String(r.cold),
        'queue.wait_us': String(r.queueWaitUs),
        'activator.buffered': String(r.buffered),
      },
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
    const operation = operationName(r.grpc, r.method, r.path);
    const functionEndpoint = {
      serviceName: r.functionName,
      ipv4: '127.0.0.1',
      ...(r.instancePort ? { port: r.instancePort } : {}),
    };
    const timing = { timestamp: r.acquiredUs, duration: Math.max(1, r.endUs - r.acquiredUs) };
    spans.push(
      {
        traceId: r.traceId,
        id: r.clientSpanId,
        parentId: r.gatewaySpanId,
        name: operation,
        kind: 'CLIENT',
        ...timing,
        localEndpoint: gatewayEndpoint,
        remoteEndpoint: functionEndpoint,
        tags: { ...common, ...outcome },
      },
      {
        traceId: r.traceId,
        id: r.serverSpanId,
        parentId: r.clientSpanId,
        name: operation,
        kind: 'SERVER',
        ...timing,
        localEndpoint: functionEndpoint,
        remoteEndpoint: gatewayEndpoint,
        tags: {
          ...common,
          ...outcome,
          cold: String(r.cold),
          ...(r.fault !== undefined ? { 'fault.injected': r.fault } : {}),
          ...(r.cpuUs !== undefined ? { 'cpu.ms': (r.cpuUs / 1000).toFixed(3) } : {}),
          ...(r.peakRssBytes !== undefined
            ? { 'peak_mem.kb': String(Math.round(r.peakRssBytes / 1024)) }
            : {}),
        },
      },
    );
  }
  return spans;
}

/**
 * Cold-start phases as tags, offsets in ms from the launch. Only phases that were measured:
 * an executable that does not report its own phases has spawn and ready alone, plus, in a
 * container, the sandbox's own steps before its process ran (image, pod network; the
 * container create ends at spawn) and whether the image was unpacked.
 */
function phaseTags(phases: ColdStartPhases): Record<string, string> {
  const tags: Record<string, string> = {};
  const steps = phases.container;
  if (steps) {
    tags['coldstart.image_ms'] = steps.imageMs.toFixed(3);
    tags['coldstart.network_ms'] = (steps.imageMs + steps.networkMs).toFixed(3);
    tags['coldstart.image_unpacked'] = String(steps.unpacked);
  }
  tags['coldstart.spawn_ms'] = phases.spawnMs.toFixed(3);
  if (phases.runtimeInitMs !== undefined) tags['coldstart.runtime_init_ms'] = phases.runtimeInitMs.toFixed(3);
  if (phases.codeLoadMs !== undefined) tags['coldstart.code_load_ms'] = phases.codeLoadMs.toFixed(3);
  if (phases.functionInitMs !== undefined)
    tags['coldstart.function_init_ms'] = phases.functionInitMs.toFixed(3);
  // With a spec readinessProbe: the sandbox was ready here; the probe's wait ends at ready_ms.
  if (phases.sandboxReadyMs !== undefined)
    tags['coldstart.sandbox_ready_ms'] = phases.sandboxReadyMs.toFixed(3);
  tags['coldstart.ready_ms'] = phases.readyMs.toFixed(3);
  return tags;
}
