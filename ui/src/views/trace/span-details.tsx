/** Details of the selected span: timing, self time, tags, annotations, process, references. */
import type { TraceTimes } from '../../model/critical-path.js';
import { formatDurationUs, formatTimestampUs } from '../../model/format.js';
import { spanSegments } from '../../model/segments.js';
import type { TraceModel } from '../../model/trace-model.js';

function Endpoint({
  title,
  e,
}: {
  title: string;
  e?: { serviceName?: string; ipv4?: string; ipv6?: string; port?: number };
}) {
  if (!e) return null;
  const addr = [e.ipv4 ?? e.ipv6, e.port].filter((x) => x !== undefined).join(':');
  return (
    <tr>
      <th>{title}</th>
      <td>
        {e.serviceName ?? ''} {addr && <span class="muted">{addr}</span>}
      </td>
    </tr>
  );
}

export function SpanDetails({
  model,
  times,
  index,
  onSelect,
}: {
  model: TraceModel;
  times: TraceTimes;
  index: number;
  onSelect: (i: number) => void;
}) {
  const node = model.nodes[index];
  if (!node) return <div class="details muted">Select a span.</div>;
  const span = node.span;
  const parent = node.parent >= 0 ? model.nodes[node.parent] : undefined;
  const segments = spanSegments(model, index);
  return (
    <aside class="details" aria-label="Span details" data-testid="span-details">
      <h3>
        {node.service}: {node.name}
      </h3>
      <table class="kv">
        <tbody>
          <tr>
            <th>Span id</th>
            <td>
              <code>{span.id}</code>
            </td>
          </tr>
          <tr>
            <th>Kind</th>
            <td>{span.kind ?? 'local'}</td>
          </tr>
          <tr>
            <th>Start</th>
            <td>
              {formatTimestampUs(node.startUs)}{' '}
              <span class="muted">(+{formatDurationUs(node.startUs - model.startUs)})</span>
            </td>
          </tr>
          <tr>
            <th>Duration</th>
            <td>{formatDurationUs(node.durationUs)}</td>
          </tr>
          <tr>
            <th>Self time</th>
            <td data-testid="self-time">{formatDurationUs(times.selfTimeUs[index] ?? 0)}</td>
          </tr>
          <tr>
            <th>Critical path</th>
            <td>{formatDurationUs(times.criticalUs[index] ?? 0)}</td>
          </tr>
          <Endpoint title="Process" e={span.localEndpoint} />
          <Endpoint title="Remote" e={span.remoteEndpoint} />
          <tr>
            <th>References</th>
            <td>
              {parent ? (
                <a
                  href={`#span=${parent.span.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    onSelect(parent.index);
                  }}
                >
                  CHILD_OF {parent.service}: {parent.name}
                </a>
              ) : span.parentId ? (
                <span>
                  CHILD_OF <code>{span.parentId}</code> (not in this trace)
                </span>
              ) : (
                <span class="muted">root span</span>
              )}
            </td>
          </tr>
        </tbody>
      </table>
      {segments.length > 0 && (
        <>
          <h4>Segments</h4>
          <table class="kv">
            <tbody>
              {segments.map((s) => (
                <tr>
                  <th>{s.label}</th>
                  <td>{formatDurationUs(s.durationUs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h4>Tags</h4>
      {Object.keys(span.tags ?? {}).length === 0 ? (
        <p class="muted">none</p>
      ) : (
        <table class="kv" data-testid="tags">
          <tbody>
            {Object.entries(span.tags ?? {})
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => (
                <tr>
                  <th>{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      <h4>Annotations</h4>
      {(span.annotations ?? []).length === 0 ? (
        <p class="muted">none</p>
      ) : (
        <table class="kv">
          <tbody>
            {(span.annotations ?? []).map((a) => (
              <tr>
                <th>+{formatDurationUs(a.timestamp - node.startUs)}</th>
                <td>{a.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
