/** Pure: classifies how an instance ended, and says so in one line. */
import type { SandboxExit } from '../sandbox.js';
import { errorMessage } from '../../../errors.js';

export interface ExitFacts {
  code: number | null;
  signal: string | null;
  /** We asked it to stop. */
  stopping: boolean;
  /** The kernel (cgroup) or our RSS watchdog killed it over the memory limit. */
  killedOverMemory: boolean;
  memoryLimitBytes: number | undefined;
  /** How the limit was enforced, for the message. */
  enforcedBy: string;
  stderrLines: string[];
}

const V8_OOM = /JavaScript heap out of memory|ERR_WORKER_OUT_OF_MEMORY|Reached heap limit/;

function mb(bytes: number | undefined): string {
  return bytes === undefined ? 'its' : `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** The line that says what went wrong: skips stack frames and Node's version footer. */
export function meaningfulLine(lines: string[]): string | undefined {
  const candidates = lines.filter(
    (line) => line.trim() !== '' && !/^\s+at /.test(line) && !/^Node\.js v\d/.test(line),
  );
  const errorLine = [...candidates].reverse().find((line) => /(Error|Exception)\b/.test(line));
  return errorLine ?? candidates[candidates.length - 1];
}

export function classifyExit(facts: ExitFacts): SandboxExit {
  const { code, signal } = facts;
  const ended = signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
  if (facts.stopping) return { reason: 'stopped', code, signal, message: `stopped (${ended})` };
  const v8Oom = facts.stderrLines.some((line) => V8_OOM.test(line));
  if (facts.killedOverMemory || v8Oom) {
    const how = facts.killedOverMemory ? facts.enforcedBy : 'V8 heap limit';
    return {
      reason: 'oom',
      code,
      signal,
      message: `out of memory: killed over the memory limit of ${mb(facts.memoryLimitBytes)} (${how}); ${ended}`,
    };
  }
  const last = meaningfulLine(facts.stderrLines);
  return { reason: 'crashed', code, signal, message: last ? `${ended}: ${last.trim()}` : ended };
}

/** The exit of a sandbox that never got a process or thread (no free port, cgroup refused, command not found). */
export function couldNotStartExit(error: unknown): SandboxExit {
  return { reason: 'crashed', code: null, signal: null, message: `could not start: ${errorMessage(error)}` };
}
