/**
 * Group commit: `append` calls made while a commit is being prepared coalesce into one
 * commit, and each resolves only after the commit that holds its items. One commit runs at a
 * time; whatever arrives meanwhile waits for the next one. This turns many small concurrent
 * batches into few transactions, which is where a SQLite writer spends its time.
 */
export type CommitFn<T> = (items: T[]) => Promise<void> | void;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  readonly #commit: CommitFn<T>;
  #pending: T[] = [];
  #waiters: Waiter[] = [];
  #running = false;
  #scheduled = false;

  constructor(commit: CommitFn<T>) {
    this.#commit = commit;
  }

  /** Queues `item`; resolves once a commit that contains it has succeeded. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push(item);
      this.#waiters.push({ resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when nothing is pending or running. */
  async drain(): Promise<void> {
    while (this.#running || this.#pending.length > 0 || this.#scheduled) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate lets every append already queued in this turn of the event loop
    // (e.g. several HTTP bodies parsed back to back) join the same commit.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#run();
    });
  }

  async #run(): Promise<void> {
    if (this.#running || this.#pending.length === 0) return;
    this.#running = true;
    const items = this.#pending;
    const waiters = this.#waiters;
    this.#pending = [];
    this.#waiters = [];
    try {
      await this.#commit(items);
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.#running = false;
      if (this.#pending.length > 0) this.#schedule();
    }
  }
}
