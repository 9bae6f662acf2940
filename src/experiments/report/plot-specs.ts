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
        axis: { labelLimit: 320 },
      },
      x: { field: 'startMs', type: 'quantitative', title: 'ms since the trace started' },
      x2: { field: 'endMs' },
      color: { field: 'service', type: 'nominal', title: 'service' },
    },
  };
}
