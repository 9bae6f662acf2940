/**
 * Group commit: `append` calls made while a commit is being prepared coalesce into one
 * commit, and each resolves only after the commit that holds its items. This turns many small
 * concurrent batches into few transactions, which is where a SQLite writer spends its time.
 *
 * Up to `concurrency` commits run at once (1 by default: SQLite has one writer); whatever
 * arrives while all are busy waits for the next. With more than one (PostgreSQL: one backend
 * per connection), what is pending is shared out over the free slots, so a burst of appends
 * becomes parallel transactions on the database's cores instead of one long one, and the
 * appends of the commit that finishes first are answered (and their callers send more) while
 * the other is still in the database.
 */
export type CommitFn<T> = (items: T[]) => Promise<void> | void;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Commits that may run at once. @default 1 */
  concurrency?: number;
}

export class GroupCommit<T> {
  readonly #commit: CommitFn<T>;
  readonly #concurrency: number;
  #pending: T[] = [];
  #waiters: Waiter[] = [];
  #running = 0;
  #scheduled = false;

  constructor(commit: CommitFn<T>, options: GroupCommitOptions = {}) {
    this.#commit = commit;
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
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
    while (this.#running > 0 || this.#pending.length > 0 || this.#scheduled) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #schedule(): void {
    if (this.#running >= this.#concurrency || this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate lets every append already queued in this turn of the event loop
    // (e.g. several HTTP bodies parsed back to back) join the same commit.
    setImmediate(() => {
      this.#scheduled = false;
      this.#run();
    });
  }

  #run(): void {
    while (this.#running < this.#concurrency && this.#pending.length > 0) {
      // Share what is pending out over the free slots, at least one item each.
      const take = Math.ceil(this.#pending.length / (this.#concurrency - this.#running));
      void this.#commitOne(this.#pending.splice(0, take), this.#waiters.splice(0, take));
    }
  }

  async #commitOne(items: T[], waiters: Waiter[]): Promise<void> {
    this.#running += 1;
    try {
      await this.#commit(items);
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.#running -= 1;
      if (this.#pending.length > 0) this.#schedule();
    }
  }
}
