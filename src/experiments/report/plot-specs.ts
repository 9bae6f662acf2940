/**
 * Vega-Lite specifications of the report's plots: latency CDFs, grouped bars (cold vs warm,
 * boot vs snapshot) and a trace timeline. Pure: data in, a spec object out; `render-plot.ts`
 * draws them.
 */
import type { TopLevelSpec } from 'vega-lite';
import { empiricalCdf } from './cdf.js';

/** One labelled latency sample set (e.g. a tutorial step, or a function). */
export interface LatencySeries {
  name: string;
  latenciesMs: readonly number[];
}

const WIDTH = 560;
const HEIGHT = 320;

/** Pure: the latency CDF of each series on one plot (log-scaled x when the range is wide). */
export function latencyCdfSpec(series: readonly LatencySeries[], title = 'Latency CDF'): TopLevelSpec {
  const values = series.flatMap((s) =>
    empiricalCdf(s.latenciesMs).map((p) => ({ series: s.name, latencyMs: p.valueMs, fraction: p.fraction })),
  );
  const all = values.map((v) => v.latencyMs).filter((v) => v > 0);
  const wide = all.length > 0 && Math.max(...all) / Math.min(...all) > 50;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', point: values.length <= 40 },
    encoding: {
      x: {
        field: 'latencyMs',
        type: 'quantitative',
        title: 'latency (ms)',
        scale: wide ? { type: 'log' } : { zero: false },
      },
      y: {
        field: 'fraction',
        type: 'quantitative',
        title: 'fraction of requests',
        scale: { domain: [0, 1] },
      },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
    },
  };
}

/** One bar: a group (e.g. a function), a category within it (e.g. cold or warm) and a value. */
export interface BarDatum {
  group: string;
  category: string;
  value: number;
}

/** Pure: grouped bars, e.g. p50 latency per function, cold beside warm. */
export function groupedBarSpec(data: readonly BarDatum[], title: string, valueTitle: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: { step: 28 },
    height: HEIGHT,
    background: 'white',
    data: { values: data.map((d) => ({ ...d })) },
    mark: 'bar',
    encoding: {
      x: { field: 'group', type: 'nominal', title: null },
      xOffset: { field: 'category' },
      y: { field: 'value', type: 'quantitative', title: valueTitle },
      color: { field: 'category', type: 'nominal', title: null },
      tooltip: [{ field: 'group' }, { field: 'category' }, { field: 'value', format: '.1f' }],
    },
  };
}

/** One bar of a timeline: a span's row label, start and end in ms from the trace start. */
export interface TimelineBar {
  row: string;
  service: string;
  startMs: number;
  endMs: number;
}

/** Pure: a Gantt-like timeline of a trace's spans, one row per span, in start order. */
export function timelineSpec(bars: readonly TimelineBar[], title: string): TopLevelSpec {
  const values = bars.map((b, i) => ({
    ...b,
    order: i,
    label: `${String(i + 1).padStart(2, '0')} ${b.row}`,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    height: { step: 16 },
    background: 'white',
    data: { values },
    mark: 'bar',
    encoding: {
      y: {
        field: 'label',
        type: 'ordinal',
        title: null,
        sort: { field: 'order' },
        // Wide enough for `hivelab-gateway: videoservice.ObjectRecognition/Recognise`.
        axis: { labelLimit: 480 },
      },
      x: { field: 'startMs', type: 'quantitative', title: 'ms since the trace started' },
      x2: { field: 'endMs' },
      color: { field: 'service', type: 'nominal', title: 'service' },
    },
  };
}

/** One request on a latency-over-time plot: when it was sent, how long it took, its kind. */
export interface TimedLatency {
  atS: number;
  latencyMs: number;
  series: string;
}

/**
 * Pure: every request as a point (seconds since the start against latency, log-scaled when
 * the range is wide), coloured by series, with shaded spans such as a fault's window.
 */
export function latencyOverTimeSpec(
  points: readonly TimedLatency[],
  shaded: readonly { fromS: number; toS: number; label: string }[],
  title: string,
): TopLevelSpec {
  const all = points.map((p) => p.latencyMs).filter((v) => v > 0);
  const wide = all.length > 0 && Math.max(...all) / Math.min(...all) > 50;
  const y = {
    field: 'latencyMs',
    type: 'quantitative' as const,
    title: 'latency (ms)',
    scale: wide ? { type: 'log' as const } : { zero: false },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    layer: [
      {
        data: { values: shaded.map((s) => ({ ...s })) },
        mark: { type: 'rect', color: '#f4c7c3', opacity: 0.6 },
        encoding: {
          x: { field: 'fromS', type: 'quantitative' },
          x2: { field: 'toS' },
        },
      },
      {
        data: { values: shaded.map((s) => ({ ...s })) },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: '#a33' },
        encoding: {
          x: { field: 'fromS', type: 'quantitative' },
          y: { value: 0 },
          text: { field: 'label' },
        },
      },
      {
        data: { values: points.map((p) => ({ ...p })) },
        mark: { type: 'point', filled: true, size: 14, opacity: 0.7 },
        encoding: {
          x: { field: 'atS', type: 'quantitative', title: 'seconds since the baseline started' },
          y,
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
  };
}

/** One horizontal bar, optionally highlighted (e.g. the service a fault went into). */
export interface RankedBar {
  label: string;
  value: number;
  highlight: boolean;
}

/** Pure: horizontal bars, highest first, the highlighted ones in another colour. */
export function rankedBarSpec(
  bars: readonly RankedBar[],
  title: string,
  valueTitle: string,
  legend: { highlighted: string; other: string },
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    height: { step: 20 },
    background: 'white',
    data: {
      values: bars.map((b) => ({ ...b, kind: b.highlight ? legend.highlighted : legend.other })),
    },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: '-x', axis: { labelLimit: 320 } },
      x: { field: 'value', type: 'quantitative', title: valueTitle },
      color: {
        field: 'kind',
        type: 'nominal',
        title: null,
        scale: { domain: [legend.highlighted, legend.other], range: ['#d62728', '#9aa9b8'] },
      },
    },
  };
}

/** Pure: horizontal stacked bars, one per group, segments in the order of `categories`. */
export function stackedBarSpec(
  data: readonly BarDatum[],
  categories: readonly string[],
  title: string,
  valueTitle: string,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    height: { step: 28 },
    background: 'white',
    data: {
      values: data.map((d) => ({ ...d, order: categories.indexOf(d.category) })),
    },
    mark: 'bar',
    encoding: {
      y: { field: 'group', type: 'nominal', title: null, axis: { labelLimit: 320 } },
      x: { field: 'value', type: 'quantitative', title: valueTitle, stack: 'zero' },
      color: {
        field: 'category',
        type: 'nominal',
        title: null,
        scale: { domain: [...categories] },
      },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [{ field: 'group' }, { field: 'category' }, { field: 'value', format: '.1f' }],
    },
  };
}
