/**
 * The runner's one sequence, whatever started it (fresh process, worker, prewarmed runtime
 * being specialised, restored snapshot): load the module, `init()`, listen, report.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';
import type { FunctionModule } from '../../sdk/index.js';
import type { EarlyListener } from './early-listener.js';
import type { RunnerChannel } from './runner-channel.js';
import { epochNowMs } from './runner-report.js';
import { serveFunction } from './serve-function.js';
import type { ServedFunction } from './serve-function.js';

export interface HostOptions {
  /** Imports (or, restored from a snapshot, just returns) the function module. */
  load: () => Promise<FunctionModule> | FunctionModule;
  /** False when `init()` already ran (at snapshot build time). */
  runInit: boolean;
  port: number;
  /** A prewarmed runtime's port, already listening: served instead of listening on `port`. */
  listener?: EarlyListener;
  protocol: 'http1' | 'h2c';
  channel: RunnerChannel;
  runtimeUpAt: number;
  restoredFromSnapshot: boolean;
  /** Worker threads report heap usage, since a thread has no RSS of its own. */
  reportHeapUsage: boolean;
}

/** OS thread id of the calling thread (`/proc/thread-self`), or undefined off Linux. */
function currentTid(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const tid = Number.parseInt(stat, 10);
    return Number.isFinite(tid) ? tid : undefined;
  } catch {
    return undefined;
  }
}

function startHeapReports(channel: RunnerChannel): { resetPeak(): void; sample(): void } {
  // Required here, not imported: only worker instances report heap usage, and node:v8 costs
  // a process instance ~0.7 ms of boot for nothing. (Required rather than import()ed so the
  // startup-snapshot bundle can load it too.)
  const { getHeapStatistics } = createRequire(import.meta.url)('node:v8') as typeof V8;
  let peak = 0;
  const sample = (): void => {
    const used = getHeapStatistics().used_heap_size;
    peak = Math.max(peak, used);
    channel.send({ type: 'hivelab-usage', heapUsedBytes: used, peakHeapUsedBytes: peak });
  };
  // 100 ms: the parent's usage() is at most this stale for a worker instance.
  setInterval(sample, 100).unref();
  return {
    resetPeak: () => {
      peak = 0;
      sample();
    },
    sample,
  };
}

/** How long after the first invocation's answer the runner reports it (see `onInvocation`). */
const FIRST_INVOCATION_REPORT_DELAY_MS = 20;

export async function hostFunction(options: HostOptions): Promise<ServedFunction> {
  const { channel } = options;
  try {
    const mod = await options.load();
    const codeLoadedAt = epochNowMs();
    if (options.runInit) await mod.init?.();
    const initDoneAt = epochNowMs();
    let invocations = 0;
    const heap = options.reportHeapUsage ? startHeapReports(channel) : undefined;
    const served = await serveFunction(mod, {
      port: options.port,
      ...(options.listener ? { listener: options.listener } : {}),
      protocol: options.protocol,
      onInvocation: () => {
        invocations += 1;
        heap?.sample();
        // Not at once: node:http2 closes a gRPC stream while it composes the trailers' write,
        // before the bytes reach the socket, so a report sent then reached the platform (the
        // gateway's process) ahead of the cold call's trailers and was handled first; a turn
        // later it still came in while the gateway relayed them. What it starts (the pool's
        // refill, a snapshot build) waits for the cold start to be over anyway.
        if (invocations === 1)
          setTimeout(
            () => channel.send({ type: 'hivelab-invoked', count: 1 }),
            FIRST_INVOCATION_REPORT_DELAY_MS,
          );
      },
    });
    const listeningAt = epochNowMs();
    heap?.sample();
    const tid = currentTid();
    channel.send({
      type: 'hivelab-ready',
      runtimeUpAt: options.runtimeUpAt,
      codeLoadedAt,
      initDoneAt,
      listeningAt,
      port: served.port,
      restoredFromSnapshot: options.restoredFromSnapshot,
      ...(tid === undefined ? {} : { tid }),
    });
    channel.onMessage((message) => {
      if (message.type === 'hivelab-stop') {
        void served.close().then(() => process.exit(0));
      } else if (message.type === 'hivelab-reset-peak') {
        heap?.resetPeak();
      }
    });
    channel.unref();
    return served;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    channel.send({ type: 'hivelab-failed', message });
    throw error;
  }
}
