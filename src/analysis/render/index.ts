/**
 * Timeline rendering (loaded on demand by `trace show --svg/--png`, so the rasteriser is
 * not loaded by other commands).
 */
export { renderTimelineSvg, coldStartSegments, annotationStages, type BarSegment } from './timeline-svg.js';
export { svgToPng } from './svg-to-png.js';
