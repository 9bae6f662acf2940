/** `/compare?a=<id>&b=<id>`: two traces side by side, nodes that changed in count or time marked. */
import { useMemo } from 'preact/hooks';
import { api } from '../../api/collector-api.js';
import { Link } from '../../components/link.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { useAsync } from '../../components/use-async.js';
import { compareTraces } from '../../model/compare-traces.js';
import { formatDurationUs } from '../../model/format.js';
import { buildTraceModel } from '../../model/trace-model.js';
import type { Location } from '../../router.js';

const CHANGE_TEXT = {
  same: '',
  added: 'only in B',
  removed: 'only in A',
  count: 'count changed',
  slower: 'slower',
  faster: 'faster',
};

export function ComparePage({ location }: { location: Location }) {
  const a = location.query.get('a') ?? '';
  const b = location.query.get('b') ?? '';
  const both = useAsync(
    () => (a && b ? Promise.all([api.trace(a), api.trace(b)]) : Promise.resolve(null)),
    `${a}:${b}`,
  );
  const rows = useMemo(
    () =>
      both.status === 'done' && both.value
        ? compareTraces(buildTraceModel(both.value[0]), buildTraceModel(both.value[1]))
        : [],
    [both],
  );
  if (!a || !b) {
    return (
      <Empty title="Compare two traces">
        <p>
          Pick two traces on the search page (the checkboxes), or open /compare?a=&lt;trace
          id&gt;&amp;b=&lt;trace id&gt;.
        </p>
      </Empty>
    );
  }
  if (both.status === 'loading') return <Loading what="both traces" />;
  if (both.status === 'failed') return <ErrorState error={both.error} what="the traces to compare" />;
  const changed = rows.filter((r) => r.change !== 'same').length;
  return (
    <div class="page compare-page">
      <h1>Compare</h1>
      <p>
        A: <Link href={`/trace/${a}`}>{a}</Link> · B: <Link href={`/trace/${b}`}>{b}</Link> ·{' '}
        <strong data-testid="changed-count">{changed} nodes changed</strong>
      </p>
      <table class="grid compare">
        <thead>
          <tr>
            <th>Call path</th>
            <th>A count</th>
            <th>A time</th>
            <th>B count</th>
            <th>B time</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr class={`change-${r.change}`} data-change={r.change}>
              <td style={{ paddingLeft: `${r.depth * 14 + 6}px` }}>{r.label}</td>
              <td class="num">{r.a.count}</td>
              <td class="num">{formatDurationUs(r.a.totalUs)}</td>
              <td class="num">{r.b.count}</td>
              <td class="num">{formatDurationUs(r.b.totalUs)}</td>
              <td>{CHANGE_TEXT[r.change]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
