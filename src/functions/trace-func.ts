/**
 * Built-in `trace-func`, what vHive's loader deploys to replay Azure traces: each request
 * asks it to run for `durationMs` and touch `memoryMb`. It allocates and touches the memory,
 * busy-spins the CPU until the duration has elapsed, and reports what it actually did.
 * HTTP `POST /` JSON `{"durationMs": n, "memoryMb": m}`; gRPC `SayHello` with that JSON in `name`.
 */
import { defineFunction, traced } from '../sdk/index.js';
import { GREETER_SERVICE, HELLOWORLD_PROTO_PATH } from './helloworld-proto.js';
import type { IncomingMessage } from 'node:http';
import { badRequest, readText, sendJson } from './request-fields.js';

const MIB = 1024 * 1024;
/** Linux pages: touching one byte per page makes the kernel back the whole allocation. */
const PAGE_BYTES = 4096;

export interface TraceRequest {
  durationMs: number;
  /** @default 0 */
  memoryMb: number;
}

const MAX_DURATION_MS = 600_000;
const MAX_MEMORY_MB = 65_536;

export interface TraceResult {
  /** Wall time from the start of the work to its end, memory touch included, ms (3 decimals). */
  durationMs: number;
  /** Memory allocated and touched, MiB. */
  memoryMb: number;
  /** Of `durationMs`, the time allocating and touching the memory took, ms (3 decimals). */
  touchMs: number;
}

/**
 * Parses a request body; returns the request, or a message naming the bad field. Hand-written
 * rather than zod: zod's import costs ~100 ms, paid by every cold start of this function.
 */
export function parseTraceRequest(json: unknown): TraceRequest | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return 'expected a JSON object {"durationMs": n, "memoryMb": m}';
  }
  const body = json as Record<string, unknown>;
  const unknownKeys = Object.keys(body).filter((key) => key !== 'durationMs' && key !== 'memoryMb');
  if (unknownKeys.length > 0)
    return `unknown field(s) ${unknownKeys.join(', ')}; expected durationMs and memoryMb`;
  const { durationMs, memoryMb = 0 } = body;
  const issues: string[] = [];
  if (typeof durationMs !== 'number' || !(durationMs >= 0 && durationMs <= MAX_DURATION_MS))
    issues.push(
      `durationMs: expected a number of milliseconds from 0 to ${MAX_DURATION_MS}, got ${JSON.stringify(durationMs)}`,
    );
  if (typeof memoryMb !== 'number' || !(memoryMb >= 0 && memoryMb <= MAX_MEMORY_MB))
    issues.push(
      `memoryMb: expected a number of MiB from 0 to ${MAX_MEMORY_MB}, got ${JSON.stringify(memoryMb)}`,
    );
  if (issues.length > 0) return issues.join('; ');
  return { durationMs: durationMs as number, memoryMb: memoryMb as number };
}

/**
 * Does the work as In-Vitro's trace function does, in the requested time in total: allocates
 * and touches `memoryMb`, then spins for what is left of `durationMs` (nothing when the touch
 * alone took longer; `touchMs` then says so). `now` is injectable for tests. Keeps the memory
 * alive until the end.
 */
export function runTraceWorkload(
  request: TraceRequest,
  now: () => number = () => performance.now(),
): TraceResult {
  const startedAt = now();
  const bytes = Math.round(request.memoryMb * MIB);
  const block = bytes > 0 ? Buffer.allocUnsafeSlow(bytes) : Buffer.alloc(0);
  for (let offset = 0; offset < bytes; offset += PAGE_BYTES) block[offset] = offset & 0xff;
  // Busy-wait on purpose: the trace asks for CPU time, not for idle time.
  let elapsedMs = now() - startedAt;
  const touchMs = Math.round(elapsedMs * 1000) / 1000;
  while (elapsedMs < request.durationMs) elapsedMs = now() - startedAt;
  const durationMs = Math.round(elapsedMs * 1000) / 1000;
  // Reading the block after the spin keeps it alive (and resident) for the whole duration.
  return { durationMs, memoryMb: block.length / MIB, touchMs };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const tracedWorkload = traced('trace-func', (request: TraceRequest) => runTraceWorkload(request));

const traceFunc = defineFunction({
  async node(req, res) {
    if (req.method !== 'POST') {
      badRequest(res, 'POST a JSON object {"durationMs": n, "memoryMb": m}');
      return;
    }
    const parsed = parseTraceRequest(await readJson(req));
    if (typeof parsed === 'string') badRequest(res, parsed);
    else sendJson(res, tracedWorkload(parsed));
  },
  grpc: [
    {
      protoPath: HELLOWORLD_PROTO_PATH,
      service: GREETER_SERVICE,
      methods: {
        SayHello: (request) => {
          let body: unknown;
          try {
            body = JSON.parse(typeof request.name === 'string' ? request.name : '');
          } catch {
            body = request.name;
          }
          const parsed = parseTraceRequest(body);
          if (typeof parsed === 'string') throw new Error(`invalid trace-func request in name: ${parsed}`);
          return { message: JSON.stringify(tracedWorkload(parsed)) };
        },
      },
    },
  ],
});

export default traceFunc;
