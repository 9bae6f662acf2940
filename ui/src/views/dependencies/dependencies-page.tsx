/** `/dependencies?lookback=`: the service graph with call and error counts, from a time window. */
import { useMemo } from 'preact/hooks';
import { api } from '../../api/collector-api.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { useAsync } from '../../components/use-async.js';
import { parseLookbackMs } from '../../model/format.js';
import { layoutDependencies } from '../../model/graph-layout.js';
import { navigate, type Location } from '../../router.js';

const LOOKBACKS = ['15m', '1h', '6h', '1d', '7d'];

export function DependenciesPage({ location }: { location: Location }) {
  const lookback = location.query.get('lookback') ?? '1h';
  const lookbackMs = parseLookbackMs(lookback) ?? 3_600_000;
  const links = useAsync(
    () => api.dependencies(Date.now(), lookbackMs),
    `${lookbackMs}:${location.query.get('t') ?? ''}`,
  );
  const graph = useMemo(
    () => (links.status === 'done' ? layoutDependencies(links.value) : undefined),
    [links],
  );
  return (
    <div class="page deps-page">
      <h1>Service dependencies</h1>
      <div class="toolbar">
        <label>
          Window{' '}
          <select
            value={lookback}
            onChange={(e) => navigate(`/dependencies?lookback=${e.currentTarget.value}`)}
          >
            {LOOKBACKS.map((l) => (
              <option value={l}>last {l}</option>
            ))}
          </select>
        </label>
      </div>
      {links.status === 'loading' ? (
        <Loading what="dependencies" />
      ) : links.status === 'failed' ? (
        <ErrorState error={links.error} what="dependencies" />
      ) : links.value.length === 0 || !graph ? (
        <Empty title="No dependencies in this window">
          <p>Calls between services show up here once traces with client and server spans arrive.</p>
        </Empty>
      ) : (
        <svg
          class="deps"
          width={graph.width}
          height={graph.height}
          role="img"
          aria-label="service dependency graph"
        >
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="8"
              markerHeight="8"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" fill="#667" />
            </marker>
          </defs>
          {graph.edges.map((e) => {
            const mid = e.points[Math.floor(e.points.length / 2)] ?? { x: 0, y: 0 };
            const errors = e.link.errorCount ?? 0;
            return (
              <g
                class={errors > 0 ? 'edge has-errors' : 'edge'}
                data-edge={`${e.link.parent}->${e.link.child}`}
              >
                <polyline
                  points={e.points.map((p) => `${p.x},${p.y}`).join(' ')}
                  fill="none"
                  marker-end="url(#arrow)"
                />
                <text x={mid.x} y={mid.y - 6} text-anchor="middle">
                  {e.link.callCount} calls{errors > 0 ? `, ${errors} errors` : ''}
                </text>
              </g>
            );
          })}
          {graph.nodes.map((n) => (
            <g
              class="node"
              data-node={n.name}
              transform={`translate(${n.x - n.width / 2},${n.y - n.height / 2})`}
            >
              <rect width={n.width} height={n.height} rx={6} />
              <text x={n.width / 2} y={n.height / 2 + 4} text-anchor="middle">
                {n.name}
              </text>
            </g>
          ))}
        </svg>
      )}
    </div>
  );
}
