/** Empty, loading and error states, the same on every page. */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/fetch-json.js';

export function Loading({ what }: { what: string }) {
  return <div class="state loading">Loading {what}…</div>;
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state empty" data-state="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** An error; a collector that cannot be reached says so and how to start one. */
export function ErrorState({ error, what }: { error: unknown; what: string }) {
  const down = error instanceof ApiError && error.status === 0;
  return (
    <div class="state error" data-state={down ? 'collector-down' : 'error'} role="alert">
      <h2>{down ? 'The collector is not reachable' : `Could not load ${what}`}</h2>
      <p>{error instanceof Error ? error.message : String(error)}</p>
      {down && (
        <p>
          Start it with <code>hivelab up</code> or <code>hivelab collector</code>, then reload this page.
        </p>
      )}
    </div>
  );
}
