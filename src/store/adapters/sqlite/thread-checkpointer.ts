/**
 * The main-thread handle of the checkpoint thread (`sqlite-checkpoint.worker.ts`): starts it,
 * and stops it before the store closes its own connection (the last connection to close
 * checkpoints the rest of the WAL and removes it).
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { CheckpointWorkerData } from './sqlite-checkpoint.worker.js';

export class ThreadCheckpointer {
  readonly #worker: Worker;
  #closed: Promise<void> | undefined;
  #exited = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
    // A failed checkpoint thread only costs the backstop checkpoints on the writer.
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      this.#exited = true;
    });
  }

  /**
   * Starts the thread once its connection is open; `undefined` when the built worker is
   * missing (tests run from source without a build) or cannot start: the writer's own
   * automatic checkpoint then does the work, as before.
   */
  static async start(
    workerFile: string,
    data: CheckpointWorkerData,
  ): Promise<ThreadCheckpointer | undefined> {
    if (!existsSync(workerFile)) return undefined;
    // execArgv: [] so flags of the host process (e.g. --input-type) do not break the worker.
    const worker = new Worker(workerFile, { workerData: data, execArgv: [] });
    const ready = await new Promise<boolean>((resolve) => {
      worker.once('message', (message) => resolve(message === 'ready'));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    if (!ready) {
      await worker.terminate();
      return undefined;
    }
    return new ThreadCheckpointer(worker);
  }

  /** Closes the thread's connection and ends the thread. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      if (this.#exited) {
        resolve();
        return;
      }
      this.#worker.once('exit', () => resolve());
      this.#worker.postMessage('close');
    });
    return this.#closed;
  }
}
