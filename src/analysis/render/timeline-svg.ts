/**
 * A trace timeline as SVG (pure): one row per span (indented `service: operation` on the
 * left, a bar on a shared time axis on the right), the critical path as a dark band along
 * the bottom of each bar's on-path stretches, and segments inside bars:
 * - cold-start phases of a span carrying `coldstart.*` tags (spawn, runtime init, code
 *   load, function init, sandbox ready when a readinessProbe followed, ready), laid from
 *   the span's start;
 * - sidecar stages: child spans tagged `sidecar.stage=<name>` are drawn inside their
 *   parent's bar (not as rows of their own), and annotations `stage:<name>` mark a stage
 *   that lasts until the next one or the span's end.
 * Rows are 12 px, so 2 000 spans make a tall but legible image.
 */
import type { TraceReport, AnalysedSpan } from '../trace/trace-report.js';

const WIDTH = 1400;
const LABEL_WIDTH = 380;
const ROW = 12;
const TOP = 64;
const BAR_LEFT = LABEL_WIDTH + 10;
const BAR_WIDTH = WIDTH - BAR_LEFT - 20;

const PALETTE = [
  '#8ecae6',
  '#ffb703',
  '#90be6d',
  '#f4a261',
  '#cdb4db',
  '#a8dadc',
  '#e9c46a',
  '#b5e48c',
  '#ffc8dd',
  '#bde0fe',
];
const SEGMENT_COLORS = [
  '#264653',
  '#2a9d8f',
  '#e76f51',
  '#6a4c93',
  '#d62828',
  '#3a86ff',
  '#8338ec',
  '#fb5607',
];
// image and network: a container's own steps before its process ran.
const COLD_START_PHASES = [
  'image',
  'network',
  'spawn',
  'runtime_init',
  'code_load',
  'function_init',
  // With a spec readinessProbe: the sandbox was ready here, and `ready` is the probe's wait.
  'sandbox_ready',
  'ready',
] as const;

/** A stretch inside a span's bar. */
export interface BarSegment {
  name: string;
  startUs: number;
  endUs: number;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * Cold-start phases as segments: the tags hold either cumulative offsets from launch
 * (non-decreasing in phase order) or per-phase durations; both are laid end to end.
 */
export function coldStartSegments(span: AnalysedSpan): BarSegment[] {
  const start = span.timestamp ?? 0;
  const present = COLD_START_PHASES.map((p) => [p, Number(span.tags?.[`coldstart.${p}_ms`])] as const).filter(
    ([, v]) => Number.isFinite(v),
  );
  if (present.length === 0) return [];
  const cumulative = present.every(([, v], i) => i === 0 || v >= (present[i - 1]?.[1] ?? 0));
  const out: BarSegment[] = [];
  let cursorMs = 0;
  for (const [name, value] of present) {
    const endMs = cumulative ? value : cursorMs + value;
    if (endMs > cursorMs) out.push({ name, startUs: start + cursorMs * 1000, endUs: start + endMs * 1000 });
    cursorMs = Math.max(cursorMs, endMs);
  }
  return out;
}

/** Stages from `stage:<name>` annotations, each until the next or the span's end. */
export function annotationStages(span: AnalysedSpan): BarSegment[] {
  const end = (span.timestamp ?? 0) + (span.duration ?? 0);
  const marks = (span.annotations ?? []).filter((a) => a.value.startsWith('stage:'));
  return marks.map((mark, i) => ({
    name: mark.value.slice('stage:'.length),
    startUs: mark.timestamp,
    endUs: marks[i + 1]?.timestamp ?? end,
  }));
}

function isStageSpan(span: AnalysedSpan): boolean {
  return span.tags?.['sidecar.stage'] !== undefined;
}

/** Renders the timeline. */
export function renderTimelineSvg(report: TraceReport): string {
  const spans = report.spans;
  const rows = spans.filter((s) => !isStageSpan(s));
  const t0 = Math.min(...spans.map((s) => s.timestamp ?? Infinity));
  const t1 = Math.max(...spans.map((s) => (s.timestamp ?? 0) + (s.duration ?? 0)));
  const span = Math.max(1, t1 - t0);
  const x = (us: number): number => BAR_LEFT + ((us - t0) / span) * BAR_WIDTH;
  const height = TOP + rows.length * ROW + 20;
  const segmentColor = new Map<string, string>();
  const colorOf = (name: string): string => {
    const known = segmentColor.get(name);
    if (known !== undefined) return known;
    const color = SEGMENT_COLORS[segmentColor.size % SEGMENT_COLORS.length] ?? '#000000';
    segmentColor.set(name, color);
    return color;
  };
  const stageChildren = new Map<string, BarSegment[]>();
  for (const s of spans) {
    if (!isStageSpan(s) || s.parentId === undefined) continue;
    const list = stageChildren.get(s.parentId) ?? [];
    list.push({
      name: s.tags?.['sidecar.stage'] ?? '',
      startUs: s.timestamp ?? 0,
      endUs: (s.timestamp ?? 0) + (s.duration ?? 0),
    });
    stageChildren.set(s.parentId, list);
  }
  const pathBySpan = new Map<string, { startUs: number; endUs: number }[]>();
  for (const p of report.criticalPath) {
    const list = pathBySpan.get(p.spanId) ?? [];
    list.push(p);
    pathBySpan.set(p.spanId, list);
  }
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="9">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="16" font-size="13" font-weight="bold">trace ${escapeXml(report.traceId)} — ${(report.durationUs / 1000).toFixed(3)} ms, ${spans.length} spans</text>`,
  );
  for (let i = 0; i <= 10; i++) {
    const gx = BAR_LEFT + (BAR_WIDTH * i) / 10;
    out.push(
      `<line x1="${gx.toFixed(1)}" y1="${TOP - 8}" x2="${gx.toFixed(1)}" y2="${height - 16}" stroke="#e5e5e5"/>`,
      `<text x="${gx.toFixed(1)}" y="${TOP - 12}" text-anchor="middle">${((span * i) / 10 / 1000).toFixed(2)} ms</text>`,
    );
  }
  const bodies: string[] = [];
  rows.forEach((s, row) => {
    const y = TOP + row * ROW;
    const service = s.localEndpoint?.serviceName ?? '?';
    const label = `${'  '.repeat(Math.min(s.depth, 30))}${service}: ${s.name ?? ''}`;
    const shown = label.length > 62 ? `${label.slice(0, 61)}…` : label;
    const start = s.timestamp ?? t0;
    const end = start + (s.duration ?? 0);
    const bx = x(start);
    const bw = Math.max(1, x(end) - bx);
    bodies.push(
      `<text x="6" y="${y + 9}" xml:space="preserve"${s.onCriticalPath ? ' font-weight="bold"' : ''}>${escapeXml(shown)}</text>`,
      `<rect x="${bx.toFixed(2)}" y="${y + 1}" width="${bw.toFixed(2)}" height="${ROW - 2}" fill="${PALETTE[hash(service) % PALETTE.length]}"><title>${escapeXml(`${service}: ${s.name ?? ''} ${(s.duration ?? 0) / 1000} ms, self ${s.selfTimeUs / 1000} ms`)}</title></rect>`,
    );
    const segments = [...coldStartSegments(s), ...annotationStages(s), ...(stageChildren.get(s.id) ?? [])];
    for (const seg of segments) {
      const sx = x(Math.max(start, seg.startUs));
      const sw = Math.max(0.5, x(Math.min(end, seg.endUs)) - sx);
      bodies.push(
        `<rect x="${sx.toFixed(2)}" y="${y + 2}" width="${sw.toFixed(2)}" height="${ROW - 6}" fill="${colorOf(seg.name)}" opacity="0.85"><title>${escapeXml(`${seg.name} ${((seg.endUs - seg.startUs) / 1000).toFixed(3)} ms`)}</title></rect>`,
      );
    }
    for (const p of pathBySpan.get(s.id) ?? []) {
      const px = x(p.startUs);
      bodies.push(
        `<rect x="${px.toFixed(2)}" y="${y + ROW - 4}" width="${Math.max(0.8, x(p.endUs) - px).toFixed(2)}" height="3" fill="#c1121f"/>`,
      );
    }
  });
  out.push(...bodies);
  const legend: [string, string][] = [['critical path', '#c1121f'], ...[...segmentColor.entries()]];
  legend.forEach(([name, color], i) => {
    const lx = 10 + i * 130;
    out.push(
      `<rect x="${lx}" y="28" width="12" height="8" fill="${color}"/>`,
      `<text x="${lx + 16}" y="36">${escapeXml(name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
