/**
 * Periodic retention: asks the store to delete what the policy says is too old or too
 * much. Failures are reported, never thrown into the collector.
 */
import type { RetentionPolicy, TraceStore } from '../store/index.js';

/** @default one minute */
export const DEFAULT_RETENTION_INTERVAL_MS = 60_000;

/** Starts the retention timer; returns a function that stops it and awaits a running pass. */
export function startRetention(
  store: TraceStore,
  policy: RetentionPolicy & { intervalMs?: number },
  now: () => number,
  log: (line: string) => void,
): () => Promise<void> {
  const { intervalMs = DEFAULT_RETENTION_INTERVAL_MS, ...rules } = policy;
  if (rules.maxAgeMs === undefined && rules.maxBytes === undefined) return () => Promise.resolve();
  let running: Promise<void> | undefined;
  const pass = (): void => {
    if (running) return; // a slow pass is not stacked up behind itself
    running = store
      .applyRetention(rules, now())
      .then(
        (deleted) => {
          if (deleted > 0) log(`collector: retention deleted ${deleted} spans`);
        },
        (error: unknown) => log(`collector: error while applying retention: ${(error as Error).message}`),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  pass();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
