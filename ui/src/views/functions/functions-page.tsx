/**
 * `/functions`: deployed functions from the platform's admin API (through the collector):
 * ready / desired instances over time, cold starts with their phases, mode, sandbox,
 * requests. Polls every 2 s; uses the platform's own history when it keeps one, else the
 * samples this page has seen.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { api } from '../../api/collector-api.js';
import { ApiError } from '../../api/fetch-json.js';
import { hivelabApi, type FunctionSample, type FunctionStatus } from '../../api/hivelab-api.js';
import { Chart, SERIES_COLORS } from '../../components/chart.js';
import { Link } from '../../components/link.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { useAsync } from '../../components/use-async.js';
import { formatDurationUs, formatTimestampUs } from '../../model/format.js';
import { spanSegments } from '../../model/segments.js';
import { buildTraceModel } from '../../model/trace-model.js';

const POLL_MS = 2000;
const KEEP_SAMPLES = 900;

type Poll =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'done'; functions: FunctionStatus[] };

function InstancesChart({ fn, samples }: { fn: FunctionStatus; samples: readonly FunctionSample[] }) {
  const { data, options } = useMemo(() => {
    const data: uPlot.AlignedData = [
      samples.map((s) => s.atMs / 1000),
      samples.map((s) => s.readyInstances),
      samples.map((s) => s.desiredInstances),
    ];
    const options = {
      height: 140,
      title: `${fn.namespace}/${fn.name}`,
      series: [
        {},
        { label: 'ready', stroke: SERIES_COLORS[0], width: 2 },
        { label: 'desired', stroke: SERIES_COLORS[1], width: 1, dash: [4, 4] },
      ],
      scales: {
        // From the samples (uPlot widens a single point by 1000 days) to now, a minute at least.
        x: {
          range: (): uPlot.Range.MinMax => {
            const nowS = Date.now() / 1000;
            const first = (samples[0]?.atMs ?? Date.now()) / 1000;
            const last = (samples[samples.length - 1]?.atMs ?? Date.now()) / 1000;
            return [Math.min(first, nowS - 60), Math.max(last, nowS)];
          },
        },
        y: { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, Math.max(1, max + 1)] },
      },
    };
    return { data, options };
  }, [samples, fn.namespace, fn.name]);
  return (
    <div data-testid="instances-chart" data-points={samples.length}>
      <Chart options={options} data={data} label={`instances of ${fn.name}`} />
    </div>
  );
}

function ColdStarts() {
  const cold = useAsync(
    () => api.traces({ annotationQuery: 'coldstart.ready_ms', lookbackMs: 3_600_000, limit: 20 }),
    'cold',
  );
  if (cold.status === 'loading') return <Loading what="cold starts" />;
  if (cold.status === 'failed') return <ErrorState error={cold.error} what="cold starts" />;
  const rows = cold.value.flatMap((spans) => {
    const model = buildTraceModel(spans);
    return model.nodes
      .filter((n) => n.span.tags?.['coldstart.ready_ms'] !== undefined)
      .map((n) => ({
        n,
        traceId: model.traceId,
        segments: spanSegments(model, n.index).filter((s) => s.kind === 'coldstart'),
      }));
  });
  if (rows.length === 0) return <p class="muted">No cold start traced in the last hour.</p>;
  return (
    <table class="grid" data-testid="cold-starts">
      <thead>
        <tr>
          <th>When</th>
          <th>Function</th>
          <th>Ready after</th>
          <th>Phases</th>
          <th>Trace</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ n, traceId, segments }) => (
          <tr>
            <td>{formatTimestampUs(n.startUs)}</td>
            <td>{n.span.tags?.['function.name'] ?? n.span.remoteEndpoint?.serviceName ?? n.service}</td>
            <td class="num">{formatDurationUs(Number(n.span.tags?.['coldstart.ready_ms']) * 1000)}</td>
            <td>
              {segments
                .map((s) => `${s.label.replace('cold start: ', '')} ${formatDurationUs(s.durationUs)}`)
                .join(' · ')}
            </td>
            <td>
              <Link href={`/trace/${traceId}#span=${n.span.id}`}>open</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FunctionsPage() {
  const [poll, setPoll] = useState<Poll>({ status: 'loading' });
  const [history, setHistory] = useState<Record<string, FunctionSample[]>>({});
  useEffect(() => {
    let live = true;
    const tick = async (): Promise<void> => {
      try {
        const functions = await hivelabApi.functions();
        if (!live) return;
        setPoll({ status: 'done', functions });
        const atMs = Date.now();
        const own = await Promise.all(
          functions.map((f) =>
            hivelabApi.history(f.namespace, f.name).then(
              (h): FunctionSample[] | undefined => (h.scale.length > 0 ? h.scale : undefined),
              () => undefined,
            ),
          ),
        );
        if (!live) return;
        setHistory((old) => {
          const next: Record<string, FunctionSample[]> = {};
          functions.forEach((f, i) => {
            const key = `${f.namespace}/${f.name}`;
            next[key] =
              own[i] ??
              [
                ...(old[key] ?? []),
                {
                  atMs,
                  readyInstances: f.readyInstances,
                  desiredInstances: f.desiredInstances,
                  requests: f.requests,
                },
              ].slice(-KEEP_SAMPLES);
          });
          return next;
        });
      } catch (error) {
        if (live) setPoll({ status: 'failed', error });
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (poll.status === 'loading') return <Loading what="functions" />;
  if (poll.status === 'failed') {
    if (poll.error instanceof ApiError && (poll.error.status === 503 || poll.error.status === 404)) {
      return (
        <Empty title="The platform is not running">
          <p data-state="platform-down">{poll.error.message}</p>
          <p>
            Start the lab with <code>hivelab up</code> to deploy and watch functions.
          </p>
        </Empty>
      );
    }
    return <ErrorState error={poll.error} what="functions" />;
  }
  return (
    <div class="page functions-page">
      <h1>Functions</h1>
      {poll.functions.length === 0 ? (
        <Empty title="No functions deployed">
          <p>
            Deploy some with <code>hivelab deploy -jsonFile functions.json</code>.
          </p>
        </Empty>
      ) : (
        <>
          <table class="grid" data-testid="functions">
            <thead>
              <tr>
                <th>Function</th>
                <th>Ready / desired</th>
                <th>Cold starts</th>
                <th>Requests</th>
                <th>Mode</th>
                <th>Sandbox</th>
                <th>Protocol</th>
                <th>Image</th>
              </tr>
            </thead>
            <tbody>
              {poll.functions.map((f) => (
                <tr data-function={`${f.namespace}/${f.name}`}>
                  <td>
                    {f.namespace}/{f.name}
                  </td>
                  <td class="num" data-testid="ready">
                    {f.readyInstances} / {f.desiredInstances}
                  </td>
                  <td class="num">{f.coldStarts}</td>
                  <td class="num">{f.requests}</td>
                  <td>{f.coldStart ?? ''}</td>
                  <td>{f.sandbox ?? ''}</td>
                  <td>{f.protocol ?? ''}</td>
                  <td>{f.image}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Instances over time</h2>
          <div class="charts">
            {poll.functions.map((f) => (
              <InstancesChart fn={f} samples={history[`${f.namespace}/${f.name}`] ?? []} />
            ))}
          </div>
        </>
      )}
      <h2>Recent cold starts</h2>
      <ColdStarts />
    </div>
  );
}
