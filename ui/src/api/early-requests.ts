/**
 * Requests started when the app's script starts, before the first render: the page's big
 * answer (a trace, a search) is then on its way while the views render and their effects
 * (which run only after a paint) are scheduled. A page takes its request once; one nobody
 * takes is dropped quietly.
 */
const started = new Map<string, Promise<unknown>>();

/** Starts `load` now, kept under `key` for the page that will ask. */
export function startEarly(key: string, load: () => Promise<unknown>): void {
  const pending = load();
  pending.catch(() => {}); // the page that takes it sees the failure; nobody else must
  started.set(key, pending);
}

/** The request started early under `key`, once; undefined when none was. */
export function takeEarly<T>(key: string): Promise<T> | undefined {
  const pending = started.get(key);
  started.delete(key);
  return pending as Promise<T> | undefined;
}
