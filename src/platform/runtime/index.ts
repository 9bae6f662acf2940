/**
 * The runtime runner: hosts a JavaScript `FunctionModule` on `$PORT` (HTTP/1.1 or h2c gRPC)
 * and reports its cold-start phases to the sandbox that started it.
 */
import { distPath } from '../../package-root.js';

export { READY_LINE_PREFIX, asRunnerReport, parseReportLine, epochNowMs } from './runner-report.js';
export type {
  RunnerReport,
  RunnerIdleReport,
  RunnerReadyReport,
  RunnerInvokedReport,
  RunnerFailedReport,
  RunnerUsageReport,
  ParentMessage,
  SpecializeMessage,
  WorkerRunnerData,
} from './runner-report.js';
export { buildInvocationContext } from './invocation-context.js';

export { isRuntimeRunnerPath, runtimeRunnerPath } from './runner-path.js';

/** Absolute path of the built snapshot entry helper (bundled into snapshot blobs). */
export function snapshotMainPath(): string {
  return distPath('platform', 'runtime', 'snapshot-main.js');
}
