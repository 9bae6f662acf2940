/**
 * Measures one call of a function the way seed 004's decorator does: process CPU time,
 * wall time and peak memory. Node has no per-call memory peak, so the peak is the highest
 * resident set size seen during the call: RSS at start and end, RSS sampled every
 * `sampleIntervalMs` while an async call awaits (`sampleWhileWaiting`), and the kernel's lifetime `maxRSS` when it rose
 * during the call (that catches peaks inside synchronous code, which sampling cannot).
 */

export interface Measurement {
  /** User + system CPU time of the process during the call, ms. */
  cpuMs: number;
  /** Wall time, ms. */
  execMs: number;
  /** Highest resident set size seen during the call, KiB. */
  peakMemKb: number;
}

/** What the meter reads; injectable so the arithmetic can be tested with fixed numbers. */
export interface ProcessProbe {
  nowMs(): number;
  /** Cumulative CPU time, µs. */
  cpuUs(): number;
  rssBytes(): number;
  /** Lifetime peak RSS, KiB (`process.resourceUsage().maxRSS`). */
  maxRssKb(): number;
}

export const processProbe: ProcessProbe = {
  nowMs: () => performance.now(),
  cpuUs: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  rssBytes: () => process.memoryUsage.rss(),
  maxRssKb: () => process.resourceUsage().maxRSS,
};

/** A running measurement; `stop()` ends it (idempotent: later calls return the same figures). */
export interface Meter {
  /** Starts sampling RSS every `sampleIntervalMs`: worth it only while an async call awaits. */
  sampleWhileWaiting(): void;
  stop(): Measurement;
}

/** Starts measuring now. `sampleIntervalMs` 0 turns RSS sampling off. */
export function startMeter(probe: ProcessProbe = processProbe, sampleIntervalMs = 5): Meter {
  const startMs = probe.nowMs();
  const startCpuUs = probe.cpuUs();
  const startMaxRssKb = probe.maxRssKb();
  let peakRssBytes = probe.rssBytes();
  let timer: NodeJS.Timeout | undefined;
  let result: Measurement | undefined;
  return {
    sampleWhileWaiting() {
      if (timer !== undefined || result !== undefined || sampleIntervalMs <= 0) return;
      timer = setInterval(() => {
        peakRssBytes = Math.max(peakRssBytes, probe.rssBytes());
      }, sampleIntervalMs);
      // Sampling must never keep a process alive.
      timer.unref();
    },
    stop() {
      if (result) return result;
      if (timer) clearInterval(timer);
      const endMaxRssKb = probe.maxRssKb();
      peakRssBytes = Math.max(peakRssBytes, probe.rssBytes());
      const sampledKb = Math.ceil(peakRssBytes / 1024);
      result = {
        cpuMs: Math.max(0, (probe.cpuUs() - startCpuUs) / 1000),
        execMs: Math.max(0, probe.nowMs() - startMs),
        peakMemKb: endMaxRssKb > startMaxRssKb ? Math.max(sampledKb, endMaxRssKb) : sampledKb,
      };
      return result;
    },
  };
}
