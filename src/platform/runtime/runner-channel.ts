/**
 * The runner's line to its parent: a worker's `parentPort`, the IPC channel of a child
 * process, or (for a child spawned without IPC) a `HIVELAB_READY {json}` line on stdout.
 */
import type { MessagePort } from 'node:worker_threads';
import { READY_LINE_PREFIX, asParentMessage } from './runner-report.js';
import type { ParentMessage, RunnerReport } from './runner-report.js';

export interface RunnerChannel {
  send(report: RunnerReport): void;
  onMessage(listener: (message: ParentMessage) => void): void;
  /** Lets the process exit while the channel is open (the server keeps it alive). */
  unref(): void;
}

/** The channel for this thread: `port` when it runs in a worker. */
export function openRunnerChannel(port: MessagePort | null): RunnerChannel {
  if (port) {
    return {
      send: (report) => port.postMessage(report),
      onMessage: (listener) =>
        port.on('message', (message: unknown) => {
          const parsed = asParentMessage(message);
          if (parsed) listener(parsed);
        }),
      unref: () => port.unref(),
    };
  }
  const send = process.send?.bind(process);
  if (send) {
    // The IPC channel closes when the platform that started this instance dies: do not
    // linger as an orphan holding a port.
    process.once('disconnect', () => process.exit(0));
    return {
      send: (report) => {
        send(report);
      },
      onMessage: (listener) =>
        process.on('message', (message: unknown) => {
          const parsed = asParentMessage(message);
          if (parsed) listener(parsed);
        }),
      unref: () => process.channel?.unref(),
    };
  }
  return {
    // Only the ready line matters to a parent without IPC; the rest would be noise.
    send: (report) => {
      if (report.type === 'hivelab-ready' || report.type === 'hivelab-failed') {
        process.stdout.write(`${READY_LINE_PREFIX}${JSON.stringify(report)}\n`);
      }
    },
    onMessage: () => undefined,
    unref: () => undefined,
  };
}
