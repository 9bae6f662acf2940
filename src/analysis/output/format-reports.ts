/**
 * Terminal renderings of the anomaly, window-mode and trace reports (pure).
 */
import type { WindowReport } from '../anomalies/window-mode.js';
import type { AnomaliesReport } from '../run-analysis.js';
import type { TraceReport } from '../trace/trace-report.js';
import { padTable } from './format-types.js';

const UNIT = { duration: 'ms', cpu: 'ms', memory: 'KB' } as const;

export function anomaliesTable(report: AnomaliesReport): string {
  const lines: string[] = [];
  if (report.anomalies.length === 0) lines.push('no anomalies');
  else {
    lines.push(
      padTable([
        ['TRACE', 'METRIC', 'VALUE', 'MEDIAN', 'MAD', 'N', 'CULPRIT', 'ITS VALUE', 'USUAL', 'TYPE'],
        ...report.anomalies.map((a) => [
          a.traceId,
          a.metric,
          `${a.value}${UNIT[a.metric]}`,
          String(a.baseline.median),
          String(a.baseline.mad),
          String(a.baseline.n),
          a.culprit === null ? '-' : `${a.culprit.service}:${a.culprit.operation} (${a.culprit.spanId})`,
          a.culprit === null ? '-' : String(a.culprit.value),
          a.culprit === null ? '-' : String(a.culprit.usual),
          a.type,
        ]),
      ]),
    );
    if (report.total > report.anomalies.length) {
      lines.push(`(${report.anomalies.length} most severe of ${report.total} flagged; --top N for more)`);
    }
  }
  for (const s of report.skipped) lines.push(`skipped: ${s.type} (${s.count} traces: ${s.reason})`);
  return lines.join('\n');
}

export function windowTable(report: WindowReport, rows = 20): string {
  const lines: string[] = [];
  if (report.suspects.length === 0)
    lines.push('no suspects (no traces in both the baseline and the window?)');
  else {
    lines.push(
      padTable([
        ['SCORE', 'SERVICE', 'OPERATION', 'EVIDENCE (baseline → window, z)', 'TYPE'],
        ...report.suspects.slice(0, rows).map((s) => {
          const strongest = Object.entries(s.evidence)
            .filter(([key]) => key !== 'traces')
            .map(
              ([key, change]) => [key, change] as [string, { baseline: number; window: number; z: number }],
            )
            .sort((a, b) => b[1].z - a[1].z)
            .slice(0, 2)
            .map(([key, c]) => `${key} ${c.baseline} → ${c.window} (z ${c.z})`)
            .join('; ');
          return [String(s.score), s.service, s.operation ?? '*', strongest, s.type ?? '(all types)'];
        }),
      ]),
    );
  }
  for (const s of report.skipped) lines.push(`skipped: ${s.type} (${s.reason})`);
  return lines.join('\n');
}

const ms = (us: number): string => (us / 1000).toFixed(3);

/** The tree: offset, duration, self time, critical-path mark, indented service:operation. */
export function traceTree(report: TraceReport): string {
  const t0 = report.spans[0]?.timestamp ?? 0;
  const rows = [
    ['START ms', 'DURATION ms', 'SELF ms', 'CP', 'SPAN'],
    ...report.spans.map((s) => [
      ms((s.timestamp ?? 0) - t0),
      ms(s.duration ?? 0),
      ms(s.selfTimeUs),
      s.onCriticalPath ? '*' : '',
      `${'  '.repeat(s.depth)}${s.localEndpoint?.serviceName ?? '?'}: ${s.name ?? ''}${s.kind ? ` [${s.kind.toLowerCase()}]` : ''}`,
    ]),
  ];
  const path = report.criticalPath
    .map((p) => `${p.service}:${p.operation} ${ms(p.endUs - p.startUs)}`)
    .join(' → ');
  return `trace ${report.traceId}, ${ms(report.durationUs)} ms\n${padTable(rows)}\ncritical path: ${path}`;
}
