/**
 * Self time and critical path for the trace page: the browser's own, then the analyzer's
 * when it answers, both computed in a worker so the main thread stays free for the first
 * paint and scrolling (10 000 spans: ~100 ms of work there otherwise). Without workers the
 * same job runs in the page after the first paint.
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

/** Starts the job for `model`; `onMessage` hears each result; the returned function stops it. */
function startTimes(model: TraceModel, onMessage: (message: TimesMessage) => void): () => void {
  const request: TimesRequest = {
    traceId: model.traceId,
    graph: timesGraph(model),
    spanIds: model.nodes.map((n) => n.span.id),
  };
  let live = true;
  const post = (message: TimesMessage): void => {
    if (live) onMessage(message);
  };
  const inPage = (): void => {
    setTimeout(() => void runTimesJob(request, post), 0);
  };
  let worker: Worker | undefined;
  try {
    worker = new Worker(new URL('./times-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    inPage();
    return () => (live = false);
  }
  let heard = false;
  worker.onmessage = (event: MessageEvent<TimesMessage>) => {
    heard = true;
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
    return startTimes(model, (message) =>
      setState((s) => {
        if (s.model !== model) return s;
        if (message.kind === 'browser') return { ...s, browser: message.times };
        if (message.kind === 'analyzer') return { ...s, analyzer: message.times };
        return { ...s, analyzerFailed: { missing: message.missing } };
      }),
    );
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
