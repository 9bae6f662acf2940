/**
 * `/trace/<id>#span=<spanId>`: the timeline (collapsible tree, minimap, segments, critical
 * path), span details, find-in-trace, keyboard navigation, statistics, flame graph, JSON.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../../api/collector-api.js';
import { ApiError } from '../../api/fetch-json.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { useAsync } from '../../components/use-async.js';
import { findSpans } from '../../model/find-spans.js';
import { formatDurationUs, formatTimestampUs } from '../../model/format.js';
import { ancestors, buildTraceModel, visibleRows } from '../../model/trace-model.js';
import { traceStats } from '../../model/trace-stats.js';
import type { ZipkinSpan } from '../../model/zipkin-span.js';
import type { Location } from '../../router.js';
import { FlameGraph } from './flame-graph.js';
import { SpanDetails } from './span-details.js';
import { StatsTable } from './stats-table.js';
import { Timeline } from './timeline.js';
import { prepareTimesWorker, useTimes } from './use-times.js';

type Tab = 'timeline' | 'stats' | 'flame' | 'json';

function TraceView({ spans, hash }: { spans: ZipkinSpan[]; hash: string }) {
  const model = useMemo(() => buildTraceModel(spans), [spans]);
  const { times, source } = useTimes(model);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [selected, setSelected] = useState(-1);
  const [tab, setTab] = useState<Tab>('timeline');
  const [find, setFind] = useState('');
  const [cursor, setCursor] = useState(0);
  const [scrollTarget, setScrollTarget] = useState({ index: -1, seq: 0 });
  const rows = useMemo(() => visibleRows(model, collapsed), [model, collapsed]);
  const matches = useMemo(() => findSpans(model, find), [model, find]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const stats = useMemo(
    () => (tab === 'stats' ? traceStats(model, times.selfTimeUs, times.criticalUs) : []),
    [tab, model, times],
  );

  /** Selects a node, expanding its ancestors and scrolling it into view. */
  const reveal = (index: number, updateHash = true): void => {
    const path = ancestors(model, index).slice(0, -1);
    if (path.some((p) => collapsed.has(p))) {
      const next = new Set(collapsed);
      for (const p of path) next.delete(p);
      setCollapsed(next);
    }
    setSelected(index);
    setScrollTarget((t) => ({ index, seq: t.seq + 1 }));
    if (updateHash) window.history.replaceState(null, '', `#span=${model.nodes[index]!.span.id}`);
  };
  useEffect(() => {
    const id = /^span=(.+)$/.exec(hash)?.[1];
    if (!id) return;
    const node = model.nodes.find((n) => n.span.id === id);
    if (node) reveal(node.index, false);
  }, [hash, model]);
  const toggle = (index: number): void => {
    const next = new Set(collapsed);
    if (next.has(index)) next.delete(index);
    else next.add(index);
    setCollapsed(next);
  };
  const nextMatch = (step: number): void => {
    if (matches.length === 0) return;
    const c = (cursor + step + matches.length) % matches.length;
    setCursor(c);
    reveal(matches[c]!);
  };
  const onKey = (e: KeyboardEvent): void => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    const row = rows.indexOf(selected);
    if (e.key === '/') {
      e.preventDefault();
      document.querySelector<HTMLInputElement>('input[name=find]')?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'j') {
      e.preventDefault();
      const next = rows[Math.min(rows.length - 1, row + 1)];
      if (next !== undefined) reveal(next);
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      e.preventDefault();
      const next = rows[Math.max(0, row - 1)];
      if (next !== undefined) reveal(next);
    } else if (e.key === 'ArrowLeft' && selected >= 0) {
      e.preventDefault();
      const node = model.nodes[selected]!;
      if (node.children.length > 0 && !collapsed.has(selected)) toggle(selected);
      else if (node.parent >= 0) reveal(node.parent);
    } else if (e.key === 'ArrowRight' && selected >= 0 && collapsed.has(selected)) {
      e.preventDefault();
      toggle(selected);
    }
  };
  const root = model.nodes[model.roots[0] ?? 0];
  return (
    <div class="page trace-page" tabIndex={0} onKeyDown={onKey}>
      <header class="trace-head">
        <h1>
          {root ? `${root.service}: ${root.name}` : model.traceId} <span class="muted">{model.traceId}</span>
        </h1>
        <div class="trace-facts">
          <span>Start {formatTimestampUs(model.startUs)}</span>
          <span data-testid="trace-duration">Duration {formatDurationUs(model.endUs - model.startUs)}</span>
          <span data-testid="span-count">{model.nodes.length} spans</span>
          <span>{model.services.length} services</span>
          <span>depth {model.maxDepth + 1}</span>
          {model.errorCount > 0 && (
            <span class="err">
              {model.errorCount} error{model.errorCount === 1 ? '' : 's'}
            </span>
          )}
          <span class="muted">critical path and self time: {source}</span>
        </div>
        <nav class="tabs" role="tablist">
          {(['timeline', 'stats', 'flame', 'json'] as Tab[]).map((t) => (
            <button type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
              {{ timeline: 'Timeline', stats: 'Statistics', flame: 'Flame graph', json: 'JSON' }[t]}
            </button>
          ))}
        </nav>
      </header>
      {tab === 'timeline' && (
        <>
          <div class="toolbar">
            <input
              name="find"
              placeholder="Find in trace (/)"
              value={find}
              onInput={(e) => {
                setFind(e.currentTarget.value);
                setCursor(-1);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  nextMatch(e.shiftKey ? -1 : 1);
                }
              }}
            />
            <span data-testid="find-count">
              {find ? `${matches.length === 0 ? 0 : Math.max(cursor, 0) + 1}/${matches.length} matches` : ''}
            </span>
            <button type="button" onClick={() => nextMatch(-1)} disabled={matches.length === 0}>
              ↑
            </button>
            <button type="button" onClick={() => nextMatch(1)} disabled={matches.length === 0}>
              ↓
            </button>
            <button type="button" onClick={() => setCollapsed(new Set())}>
              Expand all
            </button>
            <button
              type="button"
              onClick={() =>
                setCollapsed(
                  new Set(
                    model.nodes.filter((n) => n.children.length > 0 && n.depth >= 1).map((n) => n.index),
                  ),
                )
              }
            >
              Collapse all
            </button>
            <span class="legend">
              <i class="seg-coldstart" /> cold start <i class="seg-stage" /> stage <i class="seg-sidecar" />{' '}
              sidecar <i class="cp-key" /> critical path
            </span>
          </div>
          <div class="trace-body">
            <Timeline
              model={model}
              times={times}
              rows={rows}
              selected={selected}
              collapsed={collapsed}
              matches={matchSet}
              onSelect={(i) => reveal(i)}
              onToggle={toggle}
              scrollTarget={scrollTarget}
            />
            <SpanDetails model={model} times={times} index={selected} onSelect={(i) => reveal(i)} />
          </div>
        </>
      )}
      {tab === 'stats' && <StatsTable rows={stats} />}
      {tab === 'flame' && (
        <div class="trace-body">
          <FlameGraph model={model} selected={selected} onSelect={(i) => setSelected(i)} />
          <SpanDetails model={model} times={times} index={selected} onSelect={(i) => reveal(i)} />
        </div>
      )}
      {tab === 'json' && (
        <pre class="json" data-testid="trace-json">
          {JSON.stringify(spans, null, 2)}
        </pre>
      )}
    </div>
  );
}

/** The trace page: loads the trace, then shows it (or not found / collector down). */
export function TracePage({ id, location }: { id: string; location: Location }) {
  const trace = useAsync(() => api.trace(id), id);
  useEffect(prepareTimesWorker, [id]);
  if (trace.status === 'loading') return <Loading what={`trace ${id}`} />;
  if (trace.status === 'failed') {
    if (trace.error instanceof ApiError && (trace.error.status === 404 || trace.error.status === 400)) {
      return (
        <Empty title="Trace not found">
          <p data-state="not-found">
            No trace <code>{id}</code> in this collector. It may have been deleted by retention, or not sent
            yet.
          </p>
        </Empty>
      );
    }
    return <ErrorState error={trace.error} what={`trace ${id}`} />;
  }
  return <TraceView spans={trace.value} hash={location.hash} />;
}
