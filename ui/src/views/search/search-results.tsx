/** The result list: one virtualised row per trace with a duration bar, counts and services. */
import { useRef, useState } from 'preact/hooks';
import { Link } from '../../components/link.js';
import { useVirtualRows } from '../../components/use-virtual-rows.js';
import { formatDurationUs, formatTimestampUs } from '../../model/format.js';
import type { SortOrder, TraceSummary } from '../../model/trace-summary.js';
import { navigate } from '../../router.js';
import { serviceColor } from '../../components/colors.js';

const ROW_HEIGHT = 56;

export function SearchResults({
  summaries,
  sort,
  onSort,
}: {
  summaries: readonly TraceSummary[];
  sort: SortOrder;
  onSort: (order: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useVirtualRows(scrollRef, summaries.length, ROW_HEIGHT, 8);
  const [picked, setPicked] = useState<string[]>([]);
  const maxUs = summaries.reduce((m, s) => Math.max(m, s.durationUs), 1);
  const toggle = (id: string): void =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  return (
    <section class="results" aria-label="Search results">
      <div class="results-head">
        <strong data-testid="result-count">{summaries.length} traces</strong>
        <label>
          Sort{' '}
          <select name="sort" value={sort} onChange={(e) => onSort(e.currentTarget.value)}>
            <option value="newest">newest first</option>
            <option value="oldest">oldest first</option>
            <option value="longest">longest first</option>
            <option value="shortest">shortest first</option>
            <option value="most-spans">most spans</option>
          </select>
        </label>
        <button
          type="button"
          disabled={picked.length !== 2}
          onClick={() => navigate(`/compare?a=${picked[0]}&b=${picked[1]}`)}
        >
          Compare {picked.length}/2
        </button>
      </div>
      <div class="results-scroll" ref={scrollRef}>
        <div style={{ height: `${rows.totalSize}px`, position: 'relative' }}>
          {rows.items.map((item) => {
            const s = summaries[item.index]!;
            return (
              <div
                class="result-row"
                key={s.traceId}
                data-trace-id={s.traceId}
                style={{ transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}
              >
                <input
                  type="checkbox"
                  aria-label={`pick ${s.traceId} to compare`}
                  checked={picked.includes(s.traceId)}
                  onChange={() => toggle(s.traceId)}
                />
                <div class="result-main">
                  <div class="result-title">
                    <Link href={`/trace/${s.traceId}`}>
                      <span class="svc">{s.rootService}</span>: {s.rootName}
                    </Link>
                    <span class="muted"> {s.traceId}</span>
                  </div>
                  <div class="result-meta">
                    <span>{s.spanCount} spans</span>
                    {s.errorCount > 0 && (
                      <span class="err">
                        {s.errorCount} error{s.errorCount === 1 ? '' : 's'}
                      </span>
                    )}
                    {s.services.slice(0, 6).map((svc) => (
                      <span class="badge" style={{ borderColor: serviceColor(svc.name) }}>
                        {svc.name} ({svc.count})
                      </span>
                    ))}
                    {s.services.length > 6 && <span class="muted">+{s.services.length - 6} more</span>}
                  </div>
                </div>
                <div class="result-bar">
                  <div class="bar" style={{ width: `${Math.max(1, (100 * s.durationUs) / maxUs)}%` }} />
                  <span>{formatDurationUs(s.durationUs)}</span>
                  <span class="muted">{formatTimestampUs(s.startUs)}</span>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
