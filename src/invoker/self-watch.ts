/**
 * The invoker watches itself: process CPU time, event-loop utilisation and event-loop
 * delay during the run. A saturated load generator sends late and inflates latencies,
 * so `invokerVerdict` says when the invoker, not the target, was the bottleneck.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface SelfUsage {
  /** CPU time used by the invoker process / wall time (1 = one full core). */
  cpuCores: number;
  /** Share of the time the event loop was busy, 0..1. */
  eventLoopUtilization: number;
  /** p99 event-loop delay in ms (how long a timer waited behind other work). */
  eventLoopDelayP99Ms: number;
  maxRssMb: number;
}

/** Starts watching; the returned function stops and reports. */
export function watchSelf(): () => SelfUsage {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const eluStart = performance.eventLoopUtilization();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let maxRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, process.memoryUsage.rss());
  }, 500);
  sampler.unref();
  return () => {
    clearInterval(sampler);
    delay.disable();
    const cpu = process.cpuUsage(cpuStart);
    const wallMs = Math.max(1, performance.now() - wallStart);
    const elu = performance.eventLoopUtilization(eluStart);
    return {
      cpuCores: (cpu.user + cpu.system) / 1000 / wallMs,
      eventLoopUtilization: elu.utilization,
      eventLoopDelayP99Ms: delay.count > 0 ? delay.percentile(99) / 1e6 : 0,
      maxRssMb: Math.max(maxRss, process.memoryUsage.rss()) / (1024 * 1024),
    };
  };
}

/**
 * The invoker was the bottleneck when its sends ran late (p99 lateness over 1 ms) while
 * it was busy itself. Busyness alone proves nothing (the `spin` pacer keeps the loop busy
 * at any rate): lateness is the symptom, CPU or loop delay the cause.
 */
export function invokerVerdict(latenessP99Us: number, usage: SelfUsage): string | undefined {
  if (latenessP99Us <= 1000) return undefined;
  const late = `p99 send lateness ${(latenessP99Us / 1000).toFixed(2)} ms`;
  const cpu = `${(usage.cpuCores * 100).toFixed(0)} % of a core`;
  const delay = `event-loop delay p99 ${usage.eventLoopDelayP99Ms.toFixed(1)} ms`;
  if (usage.cpuCores >= 0.9)
    return `the invoker was the bottleneck: ${late} with ${cpu} used and ${delay}; latencies are inflated, lower the rate or split the load over several invokers`;
  if (usage.eventLoopDelayP99Ms > 5)
    return `the invoker was starved of CPU: ${late} and ${delay} while it used only ${cpu}; the machine is overloaded (other processes, or the target on the same cores), so latencies are inflated`;
  return undefined;
}
