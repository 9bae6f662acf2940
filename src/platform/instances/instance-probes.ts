/**
 * The spec's probes of one instance, as the kubelet and Knative's queue-proxy run them:
 * - readiness: before the first success, every `periodSeconds` (after
 *   `initialDelaySeconds`) until `successThreshold` consecutive passes; with
 *   `periodSeconds: 0` Knative's aggressive probing, every 50 ms with a 100 ms timeout.
 *   Once ready, `failureThreshold` consecutive failures make it unready (no traffic, not
 *   replaced) and `successThreshold` passes ready again; with `periodSeconds: 0` the kubelet
 *   probes the queue-proxy every 1 s, which polls the container aggressively for up to 10 s
 *   each time, 3 such failures in a row make it unready.
 * - liveness: from the launch (after `initialDelaySeconds`), every `periodSeconds`;
 *   `failureThreshold` consecutive failures and the instance is replaced.
 * `ProbeVerdicts` is the pure counting; `ProbeLoop` the timers around it.
 */
import type { ProbeSpec } from '../function-spec/index.js';

/** Knative's aggressive probing (pkg/queue/readiness): every 50 ms, 100 ms per attempt, 10 s per poll. */
export const AGGRESSIVE = { retryMs: 50, timeoutMs: 100, pollMs: 10_000 } as const;
/** The kubelet's probe of the queue-proxy when the user's readiness periodSeconds is 0. */
export const QUEUE_PROBE = { periodMs: 1000, failureThreshold: 3 } as const;

/** Pure: consecutive passes and failures against the thresholds; says when the verdict flips. */
export class ProbeVerdicts {
  private passes = 0;
  private failures = 0;

  constructor(
    private readonly successThreshold: number,
    private readonly failureThreshold: number,
    public up: boolean,
  ) {}

  /** Records one result; returns the new verdict when it flipped. */
  record(passed: boolean): boolean | undefined {
    if (passed) {
      this.failures = 0;
      this.passes++;
      if (!this.up && this.passes >= this.successThreshold) return (this.up = true);
    } else {
      this.passes = 0;
      this.failures++;
      if (this.up && this.failures >= this.failureThreshold) return (this.up = false);
    }
    return undefined;
  }
}

export interface ProbeLoopOptions {
  /** One check; rejects with why it failed. */
  check: () => Promise<void>;
  initialDelayMs: number;
  /** Pause between the end of one check and the start of the next. */
  intervalMs: number;
  verdicts: ProbeVerdicts;
  /** The verdict flipped (`reason`: the last failure, when it went down). */
  onChange: (up: boolean, reason: string | undefined) => void;
}

/** Runs checks until stopped; a thrown `onChange` never stops it. */
export class ProbeLoop {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  lastFailure: string | undefined;

  constructor(private options: ProbeLoopOptions) {
    this.schedule(options.initialDelayMs);
  }

  /** Goes on with other timing and thresholds (readiness, once ready). */
  retune(options: ProbeLoopOptions): void {
    this.options = options;
    clearTimeout(this.timer);
    this.schedule(options.initialDelayMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const options = this.options;
    let passed = true;
    try {
      await options.check();
    } catch (error) {
      passed = false;
      this.lastFailure = error instanceof Error ? error.message : String(error);
    }
    if (this.stopped || options !== this.options) return;
    const flipped = options.verdicts.record(passed);
    if (flipped !== undefined) {
      try {
        options.onChange(flipped, flipped ? undefined : this.lastFailure);
      } catch {
        // The loop goes on; the manager's own handling is not the probe's concern.
      }
    }
    this.schedule(options.intervalMs);
  }
}

/** A poll as Knative's queue-proxy makes it: retries every 50 ms until it passes or 10 s pass. */
export async function aggressivePoll(
  once: (timeoutMs: number) => Promise<void>,
  pollMs: number = AGGRESSIVE.pollMs,
): Promise<void> {
  const deadline = performance.now() + pollMs;
  let last: unknown;
  for (;;) {
    try {
      return await once(AGGRESSIVE.timeoutMs);
    } catch (error) {
      last = error;
    }
    if (performance.now() >= deadline) throw last instanceof Error ? last : new Error(String(last));
    await new Promise((r) => setTimeout(r, AGGRESSIVE.retryMs));
  }
}

/** The readiness loop's timing before the first pass (`starting`) and after (`ready`). */
export function readinessTiming(
  probe: ProbeSpec,
  phase: 'starting' | 'ready',
): {
  initialDelayMs: number;
  intervalMs: number;
  successThreshold: number;
  failureThreshold: number;
  aggressive: boolean;
} {
  const aggressive = probe.periodSeconds === 0;
  if (phase === 'starting') {
    return {
      initialDelayMs: probe.initialDelaySeconds * 1000,
      intervalMs: aggressive ? AGGRESSIVE.retryMs : probe.periodSeconds * 1000,
      successThreshold: probe.successThreshold,
      failureThreshold: Number.POSITIVE_INFINITY,
      aggressive,
    };
  }
  return aggressive
    ? {
        initialDelayMs: QUEUE_PROBE.periodMs,
        intervalMs: QUEUE_PROBE.periodMs,
        successThreshold: 1,
        failureThreshold: QUEUE_PROBE.failureThreshold,
        aggressive,
      }
    : {
        initialDelayMs: probe.periodSeconds * 1000,
        intervalMs: probe.periodSeconds * 1000,
        successThreshold: probe.successThreshold,
        failureThreshold: probe.failureThreshold,
        aggressive,
      };
}
