/**
 * Self time and critical path for the trace page: the browser's own, then the analyzer's
 * when it answers, both computed in a worker so the main thread stays free for the first
 * paint and scrolling (10 000 spans: ~100 ms of work there otherwise), started when the page
 * is first idle after its first paint. Without workers the same job runs in the page.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { emptyTimes, timesGraph, type TraceTimes } from '../../model/critical-path.js';
import type { TraceModel } from '../../model/trace-model.js';
import { runTimesJob, type TimesMessage, type TimesRequest } from './times-job.js';

interface TimesState {
  model: TraceModel;
  browser?: TraceTimes;
  analyzer?: TraceTimes;
  analyzerFailed?: { missing: boolean };
}

let spare: Worker | undefined;

function newWorker(): Worker {
  return new Worker(new URL('./times-worker.ts', import.meta.url), { type: 'module' });
}

/**
 * Starts a worker now, for the trace being fetched: its thread and script load while the
 * page waits for the trace, not after the first paint (~30 ms of main thread at 10 000 spans).
 */
export function prepareTimesWorker(): void {
  try {
    spare ??= newWorker();
  } catch {
    // No workers here: startTimes does the work in the page.
  }
}

/** Starts the job for `model`; `onMessage` hears each result; the returned function stops it. */
function startTimes(model: TraceModel, onMessage: (message: TimesMessage) => void): () => void {
  const request: TimesRequest = {
    traceId: model.traceId,
    graph: timesGraph(model),
    // One string clones in one copy; 10 000 small ones each on their own.
    spanIds: model.nodes.map((n) => n.span.id).join(','),
  };
  let live = true;
  const post = (message: TimesMessage): void => {
    if (live) onMessage(message);
  };
  const inPage = (): void => {
    setTimeout(() => void runTimesJob(request, post), 0);
  };
  let worker: Worker | undefined = spare;
  spare = undefined;
  try {
    worker ??= newWorker();
  } catch {
    inPage();
    return () => (live = false);
  }
  let heard = false;
  worker.onmessage = (event: MessageEvent<TimesMessage>) => {
    heard = true;
    // The analyzer's answer (or its failure) is the job's last message: free the thread.
    if (event.data.kind !== 'browser') worker?.terminate();
    post(event.data);
  };
  // A worker that cannot load (blocked, failed to parse): do the work here instead.
  worker.onerror = (event) => {
    event.preventDefault();
    worker?.terminate();
    if (!heard) inPage();
  };
  worker.postMessage(request);
  return () => {
    live = false;
    worker?.terminate();
  };
}

/** The times to draw and where they came from ('analyzer', 'browser', …). */
export function useTimes(model: TraceModel): { times: TraceTimes; source: string } {
  const [state, setState] = useState<TimesState>({ model });
  useEffect(() => {
    setState({ model });
    let stop = (): void => {};
    // After the first paint, once the page is idle: a scroll or click that came in first is
    // answered first (the worker and the analyzer take CPU that a 2-core machine lacks).
    const start = (): void => {
      stop = startTimes(model, (message) =>
        setState((s) => {
          if (s.model !== model) return s;
          if (message.kind === 'browser') return { ...s, browser: message.times };
          if (message.kind === 'analyzer') return { ...s, analyzer: message.times };
          return { ...s, analyzerFailed: { missing: message.missing } };
        }),
      );
    };
    if (typeof requestIdleCallback === 'function') {
      const idle = requestIdleCallback(start, { timeout: 500 });
      stop = () => cancelIdleCallback(idle);
    } else {
      const timer = setTimeout(start, 0);
      stop = () => clearTimeout(timer);
    }
    return () => stop();
  }, [model]);
  const empty = useMemo(() => emptyTimes(model.nodes.length), [model]);
  const current = state.model === model ? state : { model };
  if (current.analyzer) return { times: current.analyzer, source: 'analyzer' };
  const times = current.browser ?? empty;
  if (current.analyzerFailed) {
    return {
      times,
      source: current.analyzerFailed.missing
        ? 'browser (analyzer not available)'
        : 'browser (the analyzer failed)',
    };
  }
  return { times, source: 'browser' };
}
