/**
 * Built-in `trace-func`, what vHive's loader deploys to replay Azure traces: each request
 * asks it to run for `durationMs` and touch `memoryMb`. It allocates and touches the memory,
 * busy-spins the CPU until the duration has elapsed, and reports what it actually did.
 * HTTP `POST /` JSON `{"durationMs": n, "memoryMb": m}`; gRPC `SayHello` with that JSON in `name`.
 */
import { z } from 'zod';
import type { FunctionModule } from '../sdk/function-module.js';
import { GREETER_SERVICE, HELLOWORLD_PROTO_PATH } from './helloworld-proto.js';
import { badRequest, jsonResponse } from './request-fields.js';

const MIB = 1024 * 1024;
/** Linux pages: touching one byte per page makes the kernel back the whole allocation. */
const PAGE_BYTES = 4096;

export const traceRequestSchema = z.strictObject(
  {
    durationMs: z
      .number({ error: 'durationMs: expected a number of milliseconds from 0 to 600000' })
      .min(0, { error: 'durationMs: expected a number of milliseconds from 0 to 600000' })
      .max(600_000, { error: 'durationMs: expected a number of milliseconds from 0 to 600000' }),
    memoryMb: z
      .number({ error: 'memoryMb: expected a number of MiB from 0 to 65536' })
      .min(0, { error: 'memoryMb: expected a number of MiB from 0 to 65536' })
      .max(65_536, { error: 'memoryMb: expected a number of MiB from 0 to 65536' })
      .default(0),
  },
  { error: 'expected a JSON object {"durationMs": n, "memoryMb": m}' },
);
export type TraceRequest = z.infer<typeof traceRequestSchema>;

export interface TraceResult {
  /** Wall time from the start of the work to its end, ms (3 decimals). */
  durationMs: number;
  /** Memory allocated and touched, MiB. */
  memoryMb: number;
}

/** Parses a request body; returns the request, or a message naming the bad field. */
export function parseTraceRequest(json: unknown): TraceRequest | string {
  const parsed = traceRequestSchema.safeParse(json);
  return parsed.success ? parsed.data : parsed.error.issues.map((issue) => issue.message).join('; ');
}

/**
 * Does the work: allocates and touches `memoryMb`, then spins until `durationMs` has passed
 * since the start. `now` is injectable for tests. Keeps the memory alive until the end.
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
  while (elapsedMs < request.durationMs) elapsedMs = now() - startedAt;
  const durationMs = Math.round(elapsedMs * 1000) / 1000;
  // Reading the block after the spin keeps it alive (and resident) for the whole duration.
  return { durationMs, memoryMb: block.length / MIB };
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const traceFunc: FunctionModule = {
  async fetch(request) {
    if (request.method !== 'POST') return badRequest('POST a JSON object {"durationMs": n, "memoryMb": m}');
    const parsed = parseTraceRequest(await readJson(request));
    if (typeof parsed === 'string') return badRequest(parsed);
    return jsonResponse(runTraceWorkload(parsed));
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
          return { message: JSON.stringify(runTraceWorkload(parsed)) };
        },
      },
    },
  ],
};

export default traceFunc;
