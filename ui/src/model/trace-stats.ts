/** Per-trace statistics: count, total and self time per service and operation. Pure. */
import type { TraceModel } from './trace-model.js';

export interface OperationStats {
  service: string;
  operation: string;
  count: number;
  totalUs: number;
  selfUs: number;
  criticalUs: number;
  errors: number;
}

/** One row per service:operation, most self time first. */
export function traceStats(
  model: TraceModel,
  selfTimeUs: ArrayLike<number>,
  criticalUs: ArrayLike<number>,
): OperationStats[] {
  const rows = new Map<string, OperationStats>();
  for (const node of model.nodes) {
    const key = `${node.service}\u0000${node.name}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        service: node.service,
        operation: node.name,
        count: 0,
        totalUs: 0,
        selfUs: 0,
        criticalUs: 0,
        errors: 0,
      };
      rows.set(key, row);
    }
    row.count++;
    row.totalUs += node.durationUs;
    row.selfUs += selfTimeUs[node.index] ?? 0;
    row.criticalUs += criticalUs[node.index] ?? 0;
    if (node.error) row.errors++;
  }
  return [...rows.values()].sort((a, b) => b.selfUs - a.selfUs || a.service.localeCompare(b.service));
}
