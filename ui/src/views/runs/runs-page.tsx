/**
 * `/runs?show=<runId>,<runId>`: the invoker runs registered with the collector; the chosen
 * runs' latency CDFs and histograms overlaid; each run links to its traces.
 */
import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import { hivelabApi, type RunRecord } from '../../api/hivelab-api.js';
import { Chart, SERIES_COLORS } from '../../components/chart.js';
import { Link } from '../../components/link.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { useAsync } from '../../components/use-async.js';
import { formatDurationUs, formatTimestampUs } from '../../model/format.js';
import { alignSeries, cdf } from '../../model/latency-cdf.js';
import { navigate, type Location } from '../../router.js';

function runName(run: RunRecord): string {
  return run.label ?? run.runId.slice(0, 8);
}

function Overlays({ runs }: { runs: readonly RunRecord[] }) {
  const { cdfData, histData, cdfOpts, histOpts } = useMemo(() => {
    const series: uPlot.Series[] = [
      {},
      ...runs.map((r, i) => ({
        label: runName(r),
        stroke: SERIES_COLORS[i % SERIES_COLORS.length],
        width: 2,
      })),
    ];
    const cdfs = runs.map((r) => cdf(r.histogram));
    const hists = runs.map((r) => {
      const total = r.histogram.reduce((s, b) => s + b.count, 0) || 1;
      return { xMs: r.histogram.map((b) => b.upperUs / 1000), y: r.histogram.map((b) => b.count / total) };
    });
    const axes: uPlot.Axis[] = [{ label: 'latency (ms, log)' }, { label: '' }];
    const base = { height: 260, scales: { x: { time: false, distr: 3 } }, legend: { show: true } };
    return {
      cdfData: alignSeries(cdfs, true),
      histData: alignSeries(hists, false),
      cdfOpts: {
        ...base,
        title: 'Latency CDF (from scheduled send)',
        series,
        axes: [axes[0]!, { label: 'fraction ≤ x' }],
      },
      histOpts: {
        ...base,
        title: 'Latency histogram',
        // Runs have buckets at different latencies: a run's line goes over the others' x values.
        series: series.map((s, i) =>
          i === 0 ? s : { ...s, paths: undefined, points: { show: true }, spanGaps: true },
        ),
        axes: [axes[0]!, { label: 'share of requests' }],
      },
    };
  }, [runs]);
  return (
    <div class="overlays" data-testid="run-overlay" data-runs={runs.length}>
      <Chart options={cdfOpts} data={cdfData} label="latency CDF" />
      <Chart options={histOpts} data={histData} label="latency histogram" />
    </div>
  );
}

export function RunsPage({ location }: { location: Location }) {
  const runs = useAsync(() => hivelabApi.runs(), location.query.get('t') ?? 'runs');
  const show = (location.query.get('show') ?? '').split(',').filter((s) => s !== '');
  if (runs.status === 'loading') return <Loading what="runs" />;
  if (runs.status === 'failed') return <ErrorState error={runs.error} what="invoker runs" />;
  const list = [...runs.value.runs].sort((a, b) => b.startEpochMs - a.startEpochMs);
  if (list.length === 0) {
    return (
      <Empty title="No invoker runs yet">
        <p>
          Runs appear here when <code>hivelab invoke</code> finishes with this collector (it registers each
          run's summary and histogram).
        </p>
      </Empty>
    );
  }
  const shown = show.length > 0 ? list.filter((r) => show.includes(r.runId)) : list.slice(0, 1);
  const toggle = (id: string): void => {
    const current = shown.map((r) => r.runId);
    const next = current.includes(id) ? current.filter((x) => x !== id) : [...current, id];
    navigate(`/runs?show=${next.join(',')}`, true);
  };
  return (
    <div class="page runs-page">
      <h1>Invoker runs</h1>
      <table class="grid" data-testid="runs">
        <thead>
          <tr>
            <th>Show</th>
            <th>Run</th>
            <th>Started</th>
            <th>Target rps</th>
            <th>Achieved</th>
            <th>Issued / completed</th>
            <th>Cold</th>
            <th>p50</th>
            <th>p99</th>
            <th>Traces</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr data-run-id={r.runId}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`overlay ${runName(r)}`}
                  checked={shown.includes(r)}
                  onChange={() => toggle(r.runId)}
                />
              </td>
              <td>{runName(r)}</td>
              <td>{formatTimestampUs(r.startEpochMs * 1000)}</td>
              <td class="num">{r.summary.targetRps}</td>
              <td class="num">{r.summary.achievedRps.toFixed(2)}</td>
              <td class="num">
                {r.summary.issued} / {r.summary.completed}
              </td>
              <td class="num">{r.summary.cold}</td>
              <td class="num">{formatDurationUs(r.summary.latencyFromScheduledUs.p50)}</td>
              <td class="num">{formatDurationUs(r.summary.latencyFromScheduledUs.p99)}</td>
              <td>
                <Link
                  href={`/search?tags=${encodeURIComponent(`hivelab.run_id=${r.runId}`)}&lookback=7d&limit=100`}
                >
                  traces
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length > 0 && <Overlays runs={shown} />}
    </div>
  );
}
