/**
 * One running container of a pod: its child process (`runc run`, or a built-in hivelab
 * process in the pod) wired to the pod's output and exit handling.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { epochNowMs, parseReportLine } from '../../runtime/index.js';
import type { RunnerReadyReport } from '../../runtime/index.js';
import { LineTail } from '../launch/stderr-tail.js';

export interface ContainerExitStatus {
  code: number | null;
  signal: string | null;
}

export interface RunningContainer {
  /** `runc`: run by the OCI runtime; `process`: a built-in hivelab runs in the pod (see pod-process.ts). */
  kind: 'runc' | 'process';
  name: string;
  id: string;
  child: ChildProcess;
  exit: Promise<ContainerExitStatus>;
}

export interface ContainerHooks {
  /** Every chunk the container writes, by stream. */
  onOutput(name: string, stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** A line for the pod's stderr tail (its output, or why the process could not start). */
  onStderrText(text: string): void;
  onExit(status: ContainerExitStatus): void;
}

/** Pure: a runtime exit status (128+n for a signal) as code and signal. */
export function runtimeExitStatus(code: number | null, signal: NodeJS.Signals | null): ContainerExitStatus {
  if (signal) return { code: null, signal };
  if (code !== null && code > 128) {
    const name = Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0];
    if (name) return { code: null, signal: name };
  }
  return { code, signal: null };
}

/** Wires the child's output and exit to the hooks. */
export function wireContainer(
  kind: RunningContainer['kind'],
  name: string,
  id: string,
  child: ChildProcess,
  hooks: ContainerHooks,
): RunningContainer {
  child.on('error', () => undefined);
  child.stderr?.on('data', (chunk: Buffer) => {
    hooks.onStderrText(chunk.toString('utf8'));
    hooks.onOutput(name, 'stderr', chunk);
  });
  child.stdout?.on('data', (chunk: Buffer) => hooks.onOutput(name, 'stdout', chunk));
  const exit = new Promise<ContainerExitStatus>((resolve) => {
    child.once('error', (error) => {
      hooks.onStderrText(`${error.message}\n`);
      resolve({ code: null, signal: null });
    });
    child.once('close', (code, signal) => resolve(runtimeExitStatus(code, signal)));
  });
  void exit.then((status) => hooks.onExit(status));
  return { kind, name, id, child, exit };
}

/** hivelab's runner in a container says on stdout when it listens: that report. */
export function readyReportOf(child: ChildProcess): Promise<RunnerReadyReport> {
  return new Promise((resolve) => {
    const lines = new LineTail(0);
    child.stdout?.on('data', (chunk: Buffer) =>
      lines.push(chunk.toString('utf8'), (line) => {
        const report = parseReportLine(line);
        if (report?.type === 'hivelab-ready') resolve(report);
      }),
    );
  });
}

/**
 * When runc wrote the container's pid file (the container is created and its process is
 * about to exec), as epoch ms; undefined when the pod ended (`gone`) before that.
 */
export async function waitForPidFile(file: string, gone: () => boolean): Promise<number | undefined> {
  while (!existsSync(file)) {
    if (gone()) return undefined;
    await new Promise((r) => setTimeout(r, 1));
  }
  return epochNowMs();
}
