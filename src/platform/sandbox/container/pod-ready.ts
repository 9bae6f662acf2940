/**
 * When a pod is ready: its serving container's hivelab runner reports it (a stdout line,
 * ready at once, without waiting for the next probe), or any other program answers the probe
 * through the pod's DNAT. Fails when the pod ends first; past the deadline `onTimeout` runs
 * (it kills the pod, which then ends the wait).
 */
import type { RunnerReadyReport } from '../../runtime/index.js';
import { probeUntilReady } from '../probes/readiness-probe.js';
import type { SandboxExit } from '../sandbox.js';

export interface PodReadyWait {
  instanceId: string;
  /** The host port that reaches the serving container's port. */
  port: number;
  protocol: Parameters<typeof probeUntilReady>[1];
  timeoutMs: number;
  /** The serving container's ready report, when it runs hivelab's runner. */
  report: Promise<RunnerReadyReport> | undefined;
  exited: Promise<SandboxExit>;
  gone: () => boolean;
  onTimeout: () => void;
}

export async function untilPodReady(wait: PodReadyWait): Promise<void> {
  const exitedEarly = wait.exited.then((exit) =>
    Promise.reject(new Error(`instance ${wait.instanceId} ${exit.message}`)),
  );
  const deadline = setTimeout(wait.onTimeout, wait.timeoutMs);
  deadline.unref();
  let reported = false;
  const reportedReady = wait.report?.then(() => {
    reported = true;
  });
  try {
    await Promise.race([
      probeUntilReady(wait.port, wait.protocol, () => wait.gone() || reported).catch(
        () => new Promise<never>(() => undefined),
      ),
      ...(reportedReady ? [reportedReady] : []),
      exitedEarly,
    ]);
  } finally {
    clearTimeout(deadline);
  }
}
