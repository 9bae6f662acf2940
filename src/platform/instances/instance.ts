/**
 * One instance of a function as the platform sees it: the sandbox plus the routing state
 * the activator and the instance manager share (state, in-flight count, cold-start facts).
 */
import type { ColdStartPhases, Sandbox, SandboxExit } from '../sandbox/sandbox.js';

/**
 * `starting` → `ready` → `draining` → `gone`; `starting` may also go straight to `gone`
 * (failed readiness, or stopped before it was ready); `ready` ⇄ `unready` while the spec's
 * readiness probe fails, or once its liveness probe failed. Only `ready` instances get requests.
 */
export type InstanceState = 'starting' | 'ready' | 'unready' | 'draining' | 'gone';

export class Instance {
  readonly sandbox: Sandbox;
  state: InstanceState = 'starting';
  /** Requests leased to this instance and not yet released. */
  inFlight = 0;
  /** Requests served since start. */
  served = 0;
  /** Cold-start phases, once ready. */
  phases: ColdStartPhases | undefined;
  /** `performance.now()` when the readiness probe passed. */
  readyAtMs: number | undefined;
  /** Set once the sandbox is gone. */
  exit: SandboxExit | undefined;
  /** True once the platform asked it to stop (an exit after that is not a crash). */
  stopRequested = false;
  /** Why its liveness probe had it replaced, once it did. */
  livenessFailure: string | undefined;
  /** The spec's probes running on it (stopped when it goes). */
  readonly probes: { stop(): void }[] = [];

  constructor(sandbox: Sandbox) {
    this.sandbox = sandbox;
  }

  get id(): string {
    return this.sandbox.instanceId;
  }

  get port(): number {
    return this.sandbox.port;
  }

  /** Counted toward the desired count: starting, ready or unready (not draining, not gone). */
  get alive(): boolean {
    return this.state === 'starting' || this.state === 'ready' || this.state === 'unready';
  }
}

/**
 * The ready instance with the fewest requests in flight that has room under
 * `containerConcurrency` (0 = unlimited), or `undefined`. Pure.
 */
export function pickInstance(
  instances: readonly Instance[],
  containerConcurrency: number,
): Instance | undefined {
  let best: Instance | undefined;
  for (const instance of instances) {
    if (instance.state !== 'ready') continue;
    if (containerConcurrency > 0 && instance.inFlight >= containerConcurrency) continue;
    if (!best || instance.inFlight < best.inFlight) best = instance;
  }
  return best;
}

/**
 * Which instances to stop to come down to `desired`: starting ones first (they serve no
 * one yet), then ready ones with the fewest requests in flight. Pure.
 */
export function pickVictims(instances: readonly Instance[], desired: number): Instance[] {
  const alive = instances.filter((i) => i.alive);
  const excess = alive.length - Math.max(0, desired);
  if (excess <= 0) return [];
  const order = [...alive].sort(
    (a, b) => Number(a.state === 'ready') - Number(b.state === 'ready') || a.inFlight - b.inFlight,
  );
  return order.slice(0, excess);
}
