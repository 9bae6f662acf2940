/**
 * The main-thread handle of the worker-thread writer (`sqlite-write.worker.ts`): sends row
 * batches, resolves with the count once the worker has committed them.
 */
import { Worker } from 'node:worker_threads';
import type { RowBatch } from './span-rows.js';
import type { WriteReply, WriteRequest, WriteWorkerData } from './sqlite-write.worker.js';

interface Pending {
  resolve: (count: number) => void;
  reject: (error: Error) => void;
}

export class ThreadSpanWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failure: Error | undefined;
  #closed: Promise<void> | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: WriteReply) => {
      if (reply.type !== 'written' && reply.type !== 'failed') return;
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.type === 'written') pending?.resolve(reply.count);
      else pending?.reject(new Error(`error while writing spans: ${reply.message}`));
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the trace store writer thread exited (code ${code})`)));
  }

  /** Starts the worker and waits until its connection is open. */
  static async start(workerFile: string, data: WriteWorkerData): Promise<ThreadSpanWriter> {
    // execArgv: [] so flags of the host process (e.g. --input-type) do not break the worker.
    const worker = new Worker(workerFile, { workerData: data, execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (reply: WriteReply): void => {
        if (reply.type !== 'ready') return;
        worker.off('error', reject);
        worker.off('message', onMessage);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return new ThreadSpanWriter(worker);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  /** Resolves with the number of spans once the worker committed the batches. */
  write(batches: RowBatch[]): Promise<number> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ type: 'write', id, batches } satisfies WriteRequest);
    });
  }

  /** Closes the worker's connection (checkpointing the WAL) and ends the thread. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#worker.once('exit', () => resolve());
      if (this.#failure !== undefined) {
        void this.#worker.terminate();
        return;
      }
      this.#worker.postMessage({ type: 'close' } satisfies WriteRequest);
    });
    return this.#closed;
  }
}
