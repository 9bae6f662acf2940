/**
 * CPU time and memory of a process or thread from Linux `/proc`. Pure parsers plus thin
 * readers. CPU time prefers `schedstat` (nanoseconds of on-CPU time, summed over the
 * process's threads) over `stat`'s utime+stime, whose 10 ms ticks are too coarse for
 * per-invocation CPU figures.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ; 100 on every Linux ABI Node supports). */
const CLOCK_TICKS_PER_S = 100;

/** Pure: utime+stime in µs from a `/proc/<pid>/stat` line. */
export function parseStatCpuUs(stat: string): number {
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return 0;
  return ((utime + stime) * 1_000_000) / CLOCK_TICKS_PER_S;
}

/** Pure: on-CPU time in µs from a `schedstat` line (`<run ns> <wait ns> <slices>`). */
export function parseSchedstatCpuUs(schedstat: string): number {
  const ns = Number(schedstat.split(' ')[0]);
  return Number.isFinite(ns) ? ns / 1000 : 0;
}

/** Pure: `VmRSS` and `VmHWM` in bytes from `/proc/<pid>/status`. */
export function parseStatusMemory(status: string): { rssBytes: number; peakRssBytes: number } {
  const kb = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** CPU time of a whole process in µs (0 once it is gone). */
export function processCpuUs(pid: number): number {
  try {
    let total = 0;
    let all = true;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const schedstat = read(`/proc/${pid}/task/${tid}/schedstat`);
      if (schedstat === undefined) {
        all = false;
        break;
      }
      total += parseSchedstatCpuUs(schedstat);
    }
    if (all) return total;
  } catch {
    // Fall through to stat.
  }
  const stat = read(`/proc/${pid}/stat`);
  return stat === undefined ? 0 : parseStatCpuUs(stat);
}

/** CPU time of one thread of this process in µs. */
export function threadCpuUs(tid: number): number {
  const schedstat = read(`/proc/self/task/${tid}/schedstat`);
  if (schedstat !== undefined) return parseSchedstatCpuUs(schedstat);
  const stat = read(`/proc/self/task/${tid}/stat`);
  return stat === undefined ? 0 : parseStatCpuUs(stat);
}

/** RSS and peak RSS of a process (zeros once it is gone). */
export function processMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = read(`/proc/${pid}/status`);
  return status === undefined ? { rssBytes: 0, peakRssBytes: 0 } : parseStatusMemory(status);
}

/** Resets the process's peak RSS (VmHWM) to its current RSS; false if the kernel refused. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
