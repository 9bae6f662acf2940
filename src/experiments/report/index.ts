/**
 * Experiment reports: `report.md` building blocks and plots (Vega-Lite rendered headless to
 * SVG, PNG through resvg). Used by `hivelab tutorial`, the invoker's `--plot` and the
 * experiments; pure spec and Markdown builders, one I/O function (`writePlot`).
 */
export { empiricalCdf, percentile, type CdfPoint } from './cdf.js';
export {
  latencyCdfSpec,
  groupedBarSpec,
  timelineSpec,
  latencyOverTimeSpec,
  rankedBarSpec,
  stackedBarSpec,
  type TimedLatency,
  type RankedBar,
  type LatencySeries,
  type BarDatum,
  type TimelineBar,
} from './plot-specs.js';
export { renderSvg, svgToPng, writePlot, type WrittenPlot } from './render-plot.js';
export {
  markdownCell,
  markdownTable,
  markdownImage,
  formatNumber,
  renderReport,
  type ReportSection,
} from './markdown.js';
