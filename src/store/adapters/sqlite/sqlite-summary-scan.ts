/**
 * Reading summaries from the SQLite store, one page at a time (no cursor stays open across
 * pages, so the connection is free for writes in between):
 * - kept summaries (`summaries` table, see `sqlite-summary-cache.ts`): a keyset-paged range
 *   scan newest first;
 * - any other summarizer: the traces of the window are read and summarised as they come,
 *   ordered by the start of their newest chunk (close to, but not exactly, the trace
 *   timestamp order; the window itself is applied exactly).
 */
import type Database from 'better-sqlite3';
import type { Span } from '../../../spans/index.js';
import { inWindow } from '../../match-query.js';
import { mergeSpans } from '../../merge-spans.js';
import { sortByTimestamp, traceTimestampUs } from '../../trace-timestamp.js';
import type { SummaryQuery, TraceSummarizer, TraceSummary } from '../../trace-summary.js';

/** Summaries per page of a kept-summary scan. */
const CACHED_PAGE = 5000;
/** Trace keys per page of a summarise-as-you-read scan. */
const LIVE_PAGE = 500;
/** As in the span reader: chunks may start this long before their trace's root. */
const EDGE_SLACK_US = 60_000_000;

interface Cursor {
  ts: number;
  tkey: number;
  traceId: string;
}

/** Pages of kept summaries in the window, newest first. */
export function* keptSummaryPages(db: Database.Database, query: SummaryQuery): Generator<TraceSummary[]> {
  const fromUs = (query.endTsMs - query.lookbackMs) * 1000;
  const toUs = query.endTsMs * 1000;
  const first = db.prepare(
    `SELECT ts, tkey, trace_id, grp, data FROM summaries WHERE ts > ? AND ts <= ?
     ORDER BY ts DESC, tkey DESC, trace_id DESC LIMIT ?`,
  );
  const next = db.prepare(
    `SELECT ts, tkey, trace_id, grp, data FROM summaries WHERE ts > ? AND (ts, tkey, trace_id) < (?, ?, ?)
     ORDER BY ts DESC, tkey DESC, trace_id DESC LIMIT ?`,
  );
  const groupText = db.prepare('SELECT text FROM summary_groups WHERE id = ?').pluck();
  // One string per group id, so every summary of a type shares it (and its cached hash).
  const groups = new Map<number, string>();
  let left = query.limit ?? Infinity;
  let cursor: Cursor | undefined;
  while (left > 0) {
    const size = Math.min(CACHED_PAGE, left);
    const rows = (
      cursor === undefined
        ? first.raw().all(fromUs, toUs, size)
        : next.raw().all(fromUs, cursor.ts, cursor.tkey, cursor.traceId, size)
    ) as [number, number, string, number, string][];
    if (rows.length === 0) return;
    const page: TraceSummary[] = [];
    for (const [ts, , traceId, grp, data] of rows) {
      let group = groups.get(grp);
      if (group === undefined) {
        group = (groupText.get(grp) as string | undefined) ?? '';
        groups.set(grp, group);
      }
      page.push({ traceId, timestampUs: ts, group, data });
    }
    const last = rows[rows.length - 1] as [number, number, string, number, string];
    cursor = { ts: last[0], tkey: last[1], traceId: last[2] };
    left -= rows.length;
    yield page;
    if (rows.length < size) return;
  }
}

/** Pages of summaries computed as the traces of the window are read. */
export function* liveSummaryPages(
  db: Database.Database,
  query: SummaryQuery,
  summarizer: TraceSummarizer,
): Generator<TraceSummary[]> {
  const window = { endTsMs: query.endTsMs, lookbackMs: query.lookbackMs, limit: 0 };
  const fromUs = (query.endTsMs - query.lookbackMs) * 1000;
  const keys = db
    .prepare('SELECT tkey FROM chunks WHERE ts_min > ? AND ts_min <= ? ORDER BY ts_min DESC')
    .pluck()
    .all(fromUs - EDGE_SLACK_US, query.endTsMs * 1000) as number[];
  const unique = [...new Set(keys)];
  const byKey = db.prepare('SELECT trace_id, data FROM chunks WHERE tkey = ?').raw();
  let left = query.limit ?? Infinity;
  for (let i = 0; i < unique.length && left > 0; i += LIVE_PAGE) {
    const page: TraceSummary[] = [];
    for (const tkey of unique.slice(i, i + LIVE_PAGE)) {
      const traces = new Map<string, Span[]>();
      for (const [traceId, json] of byKey.all(tkey) as [string, string][]) {
        const list = traces.get(traceId) ?? [];
        for (const span of JSON.parse(json) as Span[]) {
          span.traceId = traceId;
          list.push(span);
        }
        traces.set(traceId, list);
      }
      for (const [traceId, list] of traces) {
        const spans = sortByTimestamp(mergeSpans(list));
        const timestampUs = traceTimestampUs(spans);
        if (timestampUs === 0 || !inWindow(timestampUs, window)) continue;
        page.push({ traceId, timestampUs, ...summarizer.summarize(spans) });
      }
    }
    page.sort((a, b) => b.timestampUs - a.timestampUs);
    const kept = page.length > left ? page.slice(0, left) : page;
    left -= kept.length;
    if (kept.length > 0) yield kept;
  }
}
