/**
 * The timeline of an analysed trace as SVG text or PNG bytes. The renderer and the
 * rasteriser are loaded on first use, so commands that draw nothing never load them.
 */
import type { TraceReport } from './trace/trace-report.js';

/** SVG text, or PNG bytes rasterised by resvg. */
export async function renderTimeline(report: TraceReport, format: 'svg'): Promise<string>;
export async function renderTimeline(report: TraceReport, format: 'png'): Promise<Buffer>;
export async function renderTimeline(report: TraceReport, format: 'svg' | 'png'): Promise<string | Buffer> {
  const { renderTimelineSvg, svgToPng } = await import('./render/index.js');
  const svg = renderTimelineSvg(report);
  return format === 'svg' ? svg : svgToPng(svg);
}
