/**
 * `/types?lookback=&sort=&type=`: the analyzer's request types, sortable; a type opens its
 * latency distribution, critical-path time per operation and its anomalies, each anomaly
 * linking to its trace with the culprit span selected.
 */
import { useMemo } from 'preact/hooks';
import { analysisApi, isAnalyzerMissing, type Anomaly, type RequestType } from '../../api/analysis-api.js';
import { Link } from '../../components/link.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { useAsync } from '../../components/use-async.js';
import { formatDurationUs } from '../../model/format.js';
import { navigate, type Location } from '../../router.js';

type SortKey = 'count' | 'p50' | 'p99' | 'errorRate' | 'key';

const SORTS: Record<SortKey, (a: RequestType, b: RequestType) => number> = {
  count: (a, b) => b.count - a.count,
  p50: (a, b) => b.durationMs.p50 - a.durationMs.p50,
  p99: (a, b) => b.durationMs.p99 - a.durationMs.p99,
  errorRate: (a, b) => b.errorRate - a.errorRate,
  key: (a, b) => a.key.localeCompare(b.key),
};

function ms(value: number): string {
  return formatDurationUs(value * 1000);
}

/** A tag no trace of the type carries shows as a dash, not as a measured 0. */
function measured(stat: { max: number }, text: string): string {
  return stat.max > 0 ? text : '–';
}

/** The latency distribution of a type as bars of its quantiles. */
function LatencyBars({ type }: { type: RequestType }) {
  const q = [
    ['p50', type.durationMs.p50],
    ['p90', type.durationMs.p90],
    ['p99', type.durationMs.p99],
    ['max', type.durationMs.max],
  ] as const;
  const max = Math.max(...q.map(([, v]) => v), 0.001);
  return (
    <div class="qbars" data-testid="latency-histogram">
      {q.map(([label, v]) => (
        <div class="qbar">
          <span>{label}</span>
          <div class="bar" style={{ width: `${(100 * v) / max}%` }} />
          <span>{ms(v)}</span>
        </div>
      ))}
    </div>
  );
}

/** Brings a type's detail into view when it opens (a table of many types is above it). */
function scrollIntoViewRef(el: HTMLElement | null): void {
  el?.scrollIntoView({ block: 'start' });
}

function TypeDetail({ type, anomalies }: { type: RequestType; anomalies: readonly Anomaly[] }) {
  return (
    <section class="type-detail" aria-label={`request type ${type.key}`} ref={scrollIntoViewRef}>
      <h2 class="type-key" title={type.key}>
        {type.key}
      </h2>
      <p>
        {type.count} traces · error rate {(type.errorRate * 100).toFixed(1)}% · mean{' '}
        {ms(type.durationMs.mean)} ± {ms(type.durationMs.std)}
      </p>
      <LatencyBars type={type} />
      <h3>Critical-path time per operation (median)</h3>
      <table class="grid">
        <thead>
          <tr>
            <th>Service</th>
            <th>Operation</th>
            <th>Median</th>
          </tr>
        </thead>
        <tbody>
          {type.criticalPath.map((c) => (
            <tr>
              <td>{c.service}</td>
              <td>{c.operation}</td>
              <td class="num">{formatDurationUs(c.medianUs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Anomalies ({anomalies.length})</h3>
      {anomalies.length === 0 ? (
        <p class="muted">No anomaly flagged for this type.</p>
      ) : (
        <table class="grid" data-testid="anomalies">
          <thead>
            <tr>
              <th>Trace</th>
              <th>Metric</th>
              <th>Value</th>
              <th>Baseline median</th>
              <th>Culprit</th>
            </tr>
          </thead>
          <tbody>
            {anomalies.map((a) => (
              <tr data-trace-id={a.traceId} data-metric={a.metric}>
                <td>
                  <Link href={`/trace/${a.traceId}${a.culprit ? `#span=${a.culprit.spanId}` : ''}`}>
                    {a.traceId}
                  </Link>
                </td>
                <td>{a.metric}</td>
                <td class="num">{a.value}</td>
                <td class="num">{a.baseline.median}</td>
                <td>
                  {a.culprit
                    ? `${a.culprit.service}: ${a.culprit.operation} (${a.culprit.value} vs usual ${a.culprit.usual})`
                    : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        Examples:{' '}
        {type.exampleTraceIds.map((id) => (
          <>
            <Link href={`/trace/${id}`}>{id}</Link>{' '}
          </>
        ))}
      </p>
    </section>
  );
}

export function TypesPage({ location }: { location: Location }) {
  const lookback = location.query.get('lookback') ?? '1h';
  const sort = (location.query.get('sort') ?? 'count') as SortKey;
  const chosen = location.query.get('type');
  const data = useAsync(() => analysisApi.typesAndAnomalies(lookback), lookback);
  const types = useMemo(
    () => (data.status === 'done' ? [...data.value.types].sort(SORTS[sort] ?? SORTS.count) : []),
    [data, sort],
  );
  const go = (changes: Record<string, string>): void => {
    const q = new URLSearchParams(location.query);
    for (const [k, v] of Object.entries(changes)) q.set(k, v);
    navigate(`/types?${q.toString()}`);
  };
  if (data.status === 'loading') return <Loading what="request types" />;
  if (data.status === 'failed') {
    if (isAnalyzerMissing(data.error)) {
      return (
        <Empty title="The analyzer is not available">
          <p data-state="analyzer-missing">
            This collector does not serve <code>/api/hivelab/types</code> yet.{' '}
            <code>hivelab analyze types</code> gives the same rows on the command line.
          </p>
        </Empty>
      );
    }
    return <ErrorState error={data.error} what="request types" />;
  }
  const anomalies = data.value.anomalies;
  const current = types.find((t) => t.key === chosen);
  const header = (key: SortKey, label: string) => (
    <th>
      <button type="button" class={sort === key ? 'sort active' : 'sort'} onClick={() => go({ sort: key })}>
        {label}
      </button>
    </th>
  );
  return (
    <div class="page types-page">
      <h1>
        Request types <span class="muted">last {lookback}</span>
      </h1>
      {types.length === 0 ? (
        <Empty title="No request types yet">
          <p>Types appear once traces arrive in this window.</p>
        </Empty>
      ) : (
        <table class="grid" data-testid="types">
          <thead>
            <tr>
              {header('key', 'Type')}
              {header('count', 'Count')}
              {header('errorRate', 'Errors')}
              {header('p50', 'p50')}
              <th>p90</th>
              {header('p99', 'p99')}
              <th>CPU p50</th>
              <th>Peak mem p50</th>
              <th>Anomalies</th>
            </tr>
          </thead>
          <tbody>
            {types.map((t) => (
              <tr class={t.key === chosen ? 'selected' : ''} data-type={t.key}>
                <td>
                  <a
                    href={`?${new URLSearchParams({ lookback, sort, type: t.key }).toString()}`}
                    onClick={(e) => {
                      e.preventDefault();
                      go({ type: t.key });
                    }}
                  >
                    <span class="type-key" title={t.key}>
                      {t.key}
                    </span>
                  </a>
                </td>
                <td class="num">{t.count}</td>
                <td class="num">{(t.errorRate * 100).toFixed(1)}%</td>
                <td class="num">{ms(t.durationMs.p50)}</td>
                <td class="num">{ms(t.durationMs.p90)}</td>
                <td class="num">{ms(t.durationMs.p99)}</td>
                <td class="num">{measured(t.cpuMs, `${t.cpuMs.p50.toFixed(2)} ms`)}</td>
                <td class="num">{measured(t.peakMemKb, `${Math.round(t.peakMemKb.p50)} KB`)}</td>
                <td class="num">{anomalies.filter((a) => a.type === t.key).length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current && (
        <TypeDetail
          key={current.key}
          type={current}
          anomalies={anomalies.filter((a) => a.type === current.key)}
        />
      )}
      {data.value.skipped.length > 0 && (
        <div class="muted" data-testid="skipped-types">
          Too few traces to flag:
          <ul>
            {data.value.skipped.map((s) => (
              <li class="type-key" title={s.type}>
                {s.count} × {s.type}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
