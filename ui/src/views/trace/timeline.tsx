/**
 * The timeline: a minimap, a time ruler and one virtualised row per visible span (tree on
 * the left, bar on the right with cold-start/stage segments and the critical path).
 */
import { Component } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { serviceColor } from '../../components/colors.js';
import { useVirtualRows } from '../../components/use-virtual-rows.js';
import { sectionsOf, type TraceTimes } from '../../model/critical-path.js';
import { formatDurationUs } from '../../model/format.js';
import { spanSegments } from '../../model/segments.js';
import type { TraceModel } from '../../model/trace-model.js';
import { Minimap } from './minimap.js';

export const ROW_HEIGHT = 24;

export interface TimelineProps {
  model: TraceModel;
  times: TraceTimes;
  rows: Int32Array;
  selected: number;
  collapsed: ReadonlySet<number>;
  matches: ReadonlySet<number>;
  onSelect: (index: number) => void;
  onToggle: (index: number) => void;
  /** Changes whenever a row must be brought into view. */
  scrollTarget: { index: number; seq: number };
}

function Ruler({ durationUs }: { durationUs: number }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div class="tl-ruler">
      {ticks.map((t) => (
        <span style={{ left: `${t * 100}%` }}>{formatDurationUs(t * durationUs)}</span>
      ))}
    </div>
  );
}

interface RowProps {
  model: TraceModel;
  index: number;
  top: number;
  selected: boolean;
  match: boolean;
  critical: boolean;
  open: boolean;
  /** The critical-path sections drawn in the bar come from here. */
  times: TraceTimes;
  /** Stable across renders; holds the current callbacks. */
  handlers: { current: Pick<TimelineProps, 'onSelect' | 'onToggle'> };
}

/**
 * One row. Re-rendered only when what it shows changed: a scroll step renders the rows that
 * came into view, not the 60 already there.
 */
class Row extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return (
      p.model !== next.model ||
      p.index !== next.index ||
      p.top !== next.top ||
      p.selected !== next.selected ||
      p.match !== next.match ||
      p.critical !== next.critical ||
      p.open !== next.open ||
      p.times !== next.times
    );
  }

  override render() {
    const { model, index, top, selected, match, critical, open, times, handlers } = this.props;
    const node = model.nodes[index]!;
    const spanUs = Math.max(1, model.endUs - model.startUs);
    const pct = (us: number): string => `${((100 * (us - model.startUs)) / spanUs).toFixed(3)}%`;
    const width = (us: number): string => `${Math.max(0.05, (100 * us) / spanUs).toFixed(3)}%`;
    const cls =
      'tl-row' +
      (selected ? ' selected' : '') +
      (match ? ' match' : '') +
      (node.error ? ' error' : '') +
      (critical ? ' critical' : '');
    return (
      <div
        class={cls}
        data-span-id={node.span.id}
        data-depth={node.depth}
        style={{ transform: `translateY(${top}px)`, height: `${ROW_HEIGHT}px` }}
        onClick={() => handlers.current.onSelect(index)}
      >
        <div class="tl-name" style={{ paddingLeft: `${Math.min(node.depth, 40) * 12 + 4}px` }}>
          {node.children.length > 0 ? (
            <button
              type="button"
              class="toggle"
              aria-label={open ? 'collapse' : 'expand'}
              aria-expanded={open}
              onClick={(e) => {
                e.stopPropagation();
                handlers.current.onToggle(index);
              }}
            >
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span class="toggle-space" />
          )}
          {node.depth > 40 && <span class="muted">[{node.depth}] </span>}
          <span class="svc" style={{ color: serviceColor(node.service) }}>
            {node.service}
          </span>{' '}
          <span class="op">{node.name}</span>
          {!open && <span class="muted"> ({node.children.length})</span>}
        </div>
        <div class="tl-bar-area">
          <div
            class="tl-bar"
            style={{
              left: pct(node.startUs),
              width: width(node.durationUs),
              background: serviceColor(node.service),
            }}
          />
          {spanSegments(model, index).map((s) => (
            <div
              class={`seg seg-${s.kind}`}
              title={`${s.label}: ${formatDurationUs(s.durationUs)}`}
              data-segment={s.label}
              style={{ left: pct(s.startUs), width: width(s.durationUs) }}
            />
          ))}
          {sectionsOf(times, index).map((s) => (
            <div class="cp" style={{ left: pct(s.startUs), width: width(s.endUs - s.startUs) }} />
          ))}
          <span class="tl-label" style={{ left: pct(node.startUs + node.durationUs) }}>
            {formatDurationUs(node.durationUs)}
          </span>
        </div>
      </div>
    );
  }
}

export function Timeline(props: TimelineProps) {
  const { model, times, rows, selected, collapsed, matches } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const handlers = useRef<Pick<TimelineProps, 'onSelect' | 'onToggle'>>(props);
  handlers.current = props;
  const virtual = useVirtualRows(scrollRef, rows.length, ROW_HEIGHT, 15);
  const spanUs = Math.max(1, model.endUs - model.startUs);
  useEffect(() => {
    // One O(rows) look-up per reveal, rather than an index of every row on each render.
    const row = rows.indexOf(props.scrollTarget.index);
    if (row >= 0) virtual.scrollToIndex(row);
  }, [props.scrollTarget.seq]);
  const first = virtual.items[0]?.index ?? 0;
  const last = virtual.items[virtual.items.length - 1]?.index ?? 0;
  return (
    <div class="timeline">
      <Minimap
        model={model}
        rows={rows}
        firstRow={first}
        lastRow={last}
        onJump={(row) => virtual.scrollToIndex(row)}
      />
      <div class="tl-head">
        <div class="tl-name">Service: operation</div>
        <Ruler durationUs={spanUs} />
      </div>
      <div class="tl-scroll" ref={scrollRef} data-testid="timeline-scroll">
        <div style={{ height: `${virtual.totalSize}px`, position: 'relative' }}>
          {virtual.items.map((item) => {
            const index = rows[item.index]!;
            return (
              <Row
                key={index}
                model={model}
                index={index}
                top={item.start}
                selected={index === selected}
                match={matches.has(index)}
                critical={(times.criticalUs[index] ?? 0) > 0}
                open={!collapsed.has(index)}
                times={times}
                handlers={handlers}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
