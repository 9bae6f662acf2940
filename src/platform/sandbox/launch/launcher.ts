/**
 * What each sandbox kind's folder gives the driver (`sandbox-driver.ts`): launching an
 * instance with its output sink, the shared start-up work, and what the kind keeps ready.
 */
import { UserError } from '../../../errors.js';
import type { FunctionSpec } from '../../function-spec/function-spec.js';
import type { OutputSink, Sandbox } from '../sandbox.js';

export interface SandboxLauncher {
  /** Starts one instance; `output` gets every chunk of its stdout and stderr. */
  launch(spec: FunctionSpec, instanceId: string, output: OutputSink | undefined): Sandbox;
  /** Shared start-up work before the first launch (prewarm pool, pod networks). */
  prepare(spec: FunctionSpec): Promise<void>;
  /** Resolves when a background snapshot build of the function ends (its blob, if any). */
  snapshotBuilt(spec: FunctionSpec): Promise<string | undefined>;
  /** Generic runtimes waiting in the prewarm pool now. */
  prewarmAvailable(): number;
  /** Frees pools and the kind's own state (instances are stopped by the driver). */
  close(): Promise<void>;
}

/** The name an instance's output is filed under when its spec names no container (Knative's). */
export function servingContainerName(spec: Pick<FunctionSpec, 'containers'>): string {
  return spec.containers?.[0]?.name ?? 'user-container';
}

/** The function's JavaScript module, or a UserError saying `what` needs one and the way out. */
export function needsJavaScript(
  spec: FunctionSpec,
  what: string,
  instead = "'boot' works for any executable",
): string {
  if (spec.handlerModule) return spec.handlerModule;
  throw new UserError(
    `function '${spec.name}': ${what} needs a JavaScript function (builtin: image or hivelab/sdk handler); ${instead}`,
    'set hivelab.dev/cold-start to boot and hivelab.dev/sandbox to process, or deploy a JavaScript function module',
  );
}
