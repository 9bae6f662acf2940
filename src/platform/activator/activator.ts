/**
 * The activator and queue of one function: hands each request a slot on the least-loaded
 * ready instance under `containerConcurrency`, or buffers it (FIFO, bounded) while there is
 * no such slot and asks for a scale-up at once when the function is at zero.
 */
import { HttpError } from '../../errors.js';
import { pickInstance } from '../instances/instance.js';
import type { Instance } from '../instances/instance.js';
import type { InstanceManager } from '../instances/instance-manager.js';

/** A slot on an instance, held for one request; give it back with `Activator.release`. */
export interface Lease {
  instance: Instance;
  /** The request waited in the activator's buffer. */
  buffered: boolean;
  /** It waited for an instance that started after it arrived (a cold start). */
  cold: boolean;
  /** Time from `acquire` to the slot, µs. */
  queueWaitUs: number;
}

export interface ActivatorOptions {
  manager: InstanceManager;
  /** Buffered requests at most; beyond, 503 with `Retry-After`. */
  maxBuffered: number;
  /** The largest instance count allowed (0 = unlimited). */
  maxScale: number;
  /** A request entered the system (buffered or in flight): for the concurrency sampler. */
  onRequestStarted?: () => void;
  /** A request left it (released, rejected from the buffer or aborted there). */
  onRequestFinished?: () => void;
}

interface Waiter {
  arrivedAtMs: number;
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
}

export class Activator {
  private readonly options: ActivatorOptions;
  private readonly pending: Waiter[] = [];
  private inFlight = 0;

  constructor(options: ActivatorOptions) {
    this.options = options;
  }

  /** Requests buffered now. */
  get bufferedCount(): number {
    return this.pending.length;
  }

  /** Requests in flight plus buffered: the autoscaler's concurrency. */
  get concurrency(): number {
    return this.inFlight + this.pending.length;
  }

  /**
   * A slot at once when a ready instance has room and nobody is buffered, else `undefined`
   * (then call `acquire`). The warm path: no promise, no microtask hop, no abort signal.
   */
  tryAcquire(): Lease | undefined {
    if (this.pending.length > 0) return undefined;
    const { manager } = this.options;
    const instance = pickInstance(manager.instances, manager.spec.containerConcurrency);
    if (!instance) return undefined;
    this.options.onRequestStarted?.();
    return this.lease(instance, performance.now(), false);
  }

  /** A slot for one request; rejects with 503 when the buffer is full, or `signal`'s reason. */
  acquire(signal?: AbortSignal): Promise<Lease> {
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    const arrivedAtMs = performance.now();
    const { manager } = this.options;
    this.options.onRequestStarted?.();
    if (this.pending.length >= this.options.maxBuffered) {
      const { maxScale } = this.options;
      const atMax = maxScale > 0 && manager.aliveCount >= maxScale;
      this.options.onRequestFinished?.();
      return Promise.reject(
        new HttpError(
          503,
          `function ${manager.spec.namespace}/${manager.spec.name} is overloaded: ${this.pending.length} requests buffered` +
            (atMax ? ` and max-scale ${maxScale} reached` : ' while it scales up'),
          { 'Retry-After': '1' },
        ),
      );
    }
    return new Promise<Lease>((resolve, reject) => {
      const waiter: Waiter = { arrivedAtMs, resolve, reject };
      this.pending.push(waiter);
      if (signal) {
        const onAbort = (): void => {
          const index = this.pending.indexOf(waiter);
          if (index === -1) return;
          this.pending.splice(index, 1);
          this.options.onRequestFinished?.();
          reject(signal.reason instanceof Error ? signal.reason : new Error('request aborted'));
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
      // Knative's activator: at zero with a request waiting, scale to 1 without waiting for the tick.
      if (manager.aliveCount === 0) manager.scaleTo(Math.max(1, manager.desired));
    });
  }

  /** Gives a slot back and hands freed capacity to the next buffered request. */
  release(lease: Lease): void {
    this.inFlight--;
    this.options.onRequestFinished?.();
    this.options.manager.release(lease.instance);
  }

  /** Releases buffered requests FIFO while there is ready capacity. Call on capacity changes. */
  dispatch(): void {
    const { manager } = this.options;
    while (this.pending.length > 0) {
      const instance = pickInstance(manager.instances, manager.spec.containerConcurrency);
      if (!instance) return;
      const waiter = this.pending.shift() as Waiter;
      waiter.resolve(this.lease(instance, waiter.arrivedAtMs, true));
    }
  }

  /**
   * Fails every buffered request: when the function was removed, or (`onlyWhenNoneReady`)
   * when an instance failed to start and no ready one is left to serve them.
   */
  failPending(error: HttpError, onlyWhenNoneReady = false): void {
    if (onlyWhenNoneReady && this.options.manager.readyCount > 0) return;
    const failed = this.pending.splice(0);
    for (const waiter of failed) {
      this.options.onRequestFinished?.();
      waiter.reject(error);
    }
  }

  private lease(instance: Instance, arrivedAtMs: number, buffered: boolean): Lease {
    instance.inFlight++;
    this.inFlight++;
    const cold = buffered && instance.readyAtMs !== undefined && instance.readyAtMs >= arrivedAtMs;
    return { instance, buffered, cold, queueWaitUs: Math.round((performance.now() - arrivedAtMs) * 1000) };
  }
}
