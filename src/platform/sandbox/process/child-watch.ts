/**
 * Wiring of a sandbox's child process: its stdout and stderr to the instance's log (and
 * the runner's report lines out of stdout), its IPC reports, and its exit, told only once
 * the last stderr chunk has arrived, since that chunk names the crash.
 */
import type { ChildProcess } from 'node:child_process';
import { asRunnerReport, parseReportLine } from '../../runtime/index.js';
import type { RunnerReadyReport, RunnerReport } from '../../runtime/index.js';
import { LineTail } from '../launch/stderr-tail.js';
import type { OutputSink } from '../sandbox.js';

export interface ChildWatchOptions {
  /** The container name its output is filed under. */
  containerName: string;
  onOutput: OutputSink | undefined;
  /** Keeps stderr's last lines for the exit's message. */
  stderr: LineTail;
  /** The runner answered its first invocation. */
  onFirstInvocation: (() => void) | undefined;
  /** The process is gone (its stderr may still be draining). */
  onGone(): void;
  /** The process is gone and its stderr drained (or 200 ms passed). */
  onFinished(code: number | null, signal: NodeJS.Signals | null): void;
}

/** Wires output, IPC and exit; resolves with the runner's ready report (never, if none comes). */
export function watchChild(child: ChildProcess, options: ChildWatchOptions): Promise<RunnerReadyReport> {
  return new Promise((resolveReady) => {
    const onReport = (report: RunnerReport | undefined): void => {
      if (report?.type === 'hivelab-ready') resolveReady(report);
      else if (report?.type === 'hivelab-invoked') options.onFirstInvocation?.();
    };
    const stdout = new LineTail(0);
    const { containerName, onOutput } = options;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      onOutput?.(containerName, 'stdout', Buffer.from(chunk, 'utf8'));
      stdout.push(chunk, (line) => onReport(parseReportLine(line)));
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      onOutput?.(containerName, 'stderr', Buffer.from(chunk, 'utf8'));
      options.stderr.push(chunk);
    });
    child.on('message', (message: unknown) => onReport(asRunnerReport(message)));
    // The instance must not keep the host alive, nor die with a broken IPC channel.
    child.on('error', () => undefined);
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      options.onGone();
      // Let the last stderr chunk arrive before classifying (it names the crash), without
      // waiting on a grandchild that may hold the pipe open.
      const stderr = child.stderr;
      if (!stderr || stderr.readableEnded) {
        options.onFinished(code, signal);
        return;
      }
      const timer = setTimeout(() => options.onFinished(code, signal), 200);
      stderr.once('end', () => {
        clearTimeout(timer);
        options.onFinished(code, signal);
      });
    };
    // A prewarmed runtime may have died between the pool and here: its exit event is gone.
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
    else child.once('exit', onExit);
  });
}
