/** Per-trace statistics: count, total, self and critical-path time per service and operation. */
import { formatDurationUs } from '../../model/format.js';
import type { OperationStats } from '../../model/trace-stats.js';

export function StatsTable({ rows }: { rows: readonly OperationStats[] }) {
  return (
    <table class="grid" data-testid="trace-stats">
      <thead>
        <tr>
          <th>Service</th>
          <th>Operation</th>
          <th>Count</th>
          <th>Total</th>
          <th>Self time</th>
          <th>Critical path</th>
          <th>Errors</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>{r.service}</td>
            <td>{r.operation}</td>
            <td class="num">{r.count}</td>
            <td class="num">{formatDurationUs(r.totalUs)}</td>
            <td class="num">{formatDurationUs(r.selfUs)}</td>
            <td class="num">{formatDurationUs(r.criticalUs)}</td>
            <td class="num">{r.errors}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
