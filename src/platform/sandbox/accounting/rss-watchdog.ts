/**
 * The memory limit where no cgroup enforces it: samples a process's RSS from /proc every
 * 100 ms and calls `onOver` (which kills it) once it is above the limit. Coarser than the
 * kernel's OOM killer: a fast allocation can overshoot for up to one interval.
 */
import { processMemory } from './proc-stats.js';

/** How often the RSS watchdog samples. */
export const WATCHDOG_INTERVAL_MS = 100;

/** Starts sampling; clear the returned timer when the process is gone. */
export function startRssWatchdog(
  pid: () => number | undefined,
  limitBytes: number,
  onOver: () => void,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    const current = pid();
    if (current !== undefined && processMemory(current).rssBytes > limitBytes) onOver();
  }, WATCHDOG_INTERVAL_MS);
  timer.unref();
  return timer;
}
