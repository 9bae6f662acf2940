/** Pure: Knative Services as `kn service list` prints them (NAME URL LATEST AGE CONDITIONS READY REASON). */
import { serviceReadiness, type KnativeServiceObject } from './knative-status.js';

const HEADERS = ['NAME', 'URL', 'LATEST', 'AGE', 'CONDITIONS', 'READY', 'REASON'] as const;

/** Pure: `kn`'s short age: 45s, 12m, 3h, 2d. */
export function formatAge(createdIso: string | undefined, nowMs: number): string {
  if (createdIso === undefined) return '';
  const seconds = Math.max(0, Math.floor((nowMs - Date.parse(createdIso)) / 1000));
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** Pure: the table, or "No services found." */
export function formatServicesTable(services: readonly KnativeServiceObject[], nowMs: number): string {
  if (services.length === 0) return 'No services found.';
  const rows: string[][] = [[...HEADERS]];
  for (const service of services) {
    const conditions = service.status?.conditions ?? [];
    const ok = conditions.filter((condition) => condition.status === 'True').length;
    const ready = conditions.find((condition) => condition.type === 'Ready');
    const readiness = serviceReadiness(service);
    rows.push([
      service.metadata.name,
      service.status?.url ?? '',
      service.status?.latestReadyRevisionName ?? service.status?.latestCreatedRevisionName ?? '',
      formatAge(service.metadata.creationTimestamp, nowMs),
      `${ok} OK / ${conditions.length}`,
      ready?.status ?? 'Unknown',
      readiness.state === 'ready' ? '' : (ready?.reason ?? ''),
    ]);
  }
  const widths = HEADERS.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd((widths[col] ?? 0) + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}
