/**
 * The read path of the PostgreSQL store. Index-only scans find candidate traces newest
 * first, a page at a time in one round trip with the traces they belong to (a search reads
 * only as many index entries as it needs);
 * the pure `matchesQuery` (shared with every adapter) decides, as in Zipkin's storages.
 */
import type pg from 'pg';
import type { DependencyLink, Span } from '../../../spans/index.js';
import type { TraceQuery } from '../../trace-store.js';
import type { SummaryQuery, TraceSummarizer, TraceSummary } from '../../trace-summary.js';
import { DependencyLinker } from '../../link-dependencies.js';
import { inWindow, matchesQuery } from '../../match-query.js';
import { mergeSpans } from '../../merge-spans.js';
import { normalizeQuery } from '../../normalize-span.js';
import { compareTracesNewestFirst, sortByTimestamp, traceTimestampUs } from '../../trace-timestamp.js';
import { spansOfDoc } from './postgres-rows.js';
import { PG_SCHEMA } from './postgres-schema.js';

/**
 * Index rows are placed by their own start, the window by the trace's (its root's) start: a
 * span of the queried service may start after `endTs` while its trace started before, and a
 * skewed root may start after other spans. Look this far past both edges of the window.
 */
const EDGE_SLACK_US = 60_000_000;
/** Candidate rows fetched per round trip: the first page, and the most. */
const FIRST_PAGE = 200;
const MAX_PAGE = 5000;
/** Traces fetched per query when linking dependencies. */
const TRACES_PER_FETCH = 500;

/** A trace id as the store keys it: 16 or 32 lower-case hex, else undefined. */
function validId(traceId: string): string | undefined {
  const id = traceId.toLowerCase();
  return /^([0-9a-f]{16}|[0-9a-f]{32})$/.test(id) ? id : undefined;
}

/** A string as an SQL literal (standard_conforming_strings is on since PostgreSQL 9.1). */
function escapeLiteral(value: string): string {
  return `'${value.replaceAll("'", "''").replaceAll('\u0000', '')}'`;
}

function intOrThrow(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

export class PgSpanReader {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Traces of the given (valid, lower-case) ids, spans merged, each sorted. */
  async #fetchTraces(
    queryable: pg.Pool | pg.PoolClient,
    ids: readonly string[],
  ): Promise<Map<string, Span[]>> {
    const out = new Map<string, Span[]>();
    if (ids.length === 0) return out;
    const result = await queryable.query<{ id: string; doc: string }>({
      text: `SELECT encode(trace_id, 'hex') AS id, doc FROM ${PG_SCHEMA}.spans
             WHERE trace_id = ANY($1::bytea[])`,
      values: [ids.map((id) => Buffer.from(id, 'hex'))],
    });
    for (const { id, doc } of result.rows) {
      const spans = spansOfDoc(id, doc);
      const list = out.get(id);
      if (list === undefined) out.set(id, spans);
      else list.push(...spans);
    }
    for (const [id, spans] of out) out.set(id, sortByTimestamp(mergeSpans(spans)));
    return out;
  }

  async getTrace(traceId: string): Promise<Span[]> {
    const id = validId(traceId);
    if (id === undefined) return [];
    return (await this.#fetchTraces(this.#pool, [id])).get(id) ?? [];
  }

  async getTraces(traceIds: readonly string[]): Promise<Span[][]> {
    const ids = [...new Set(traceIds.map(validId).filter((id): id is string => id !== undefined))];
    return [...(await this.#fetchTraces(this.#pool, ids)).values()];
  }

  async findTraces(input: TraceQuery): Promise<Span[][]> {
    const query = normalizeQuery(input);
    if (query.limit <= 0) return [];
    const fromUs = query.endTsMs * 1000 - query.lookbackMs * 1000;
    const toUs = query.endTsMs * 1000;
    const where: string[] = [];
    if (query.serviceName !== undefined) {
      where.push(`service = ${escapeLiteral(query.serviceName)}`);
      where.push(`ts > ${intOrThrow(fromUs)}`);
    } else {
      where.push(`ts > ${intOrThrow(fromUs - EDGE_SLACK_US)}`);
    }
    where.push(`ts <= ${intOrThrow(toUs + EDGE_SLACK_US)}`);
    // A row's duration is its longest span's, so a minimum narrows the candidates (a row
    // without a span that long cannot hold the match). A maximum cannot: a row's shorter
    // spans may meet it. matchesQuery checks both per span, and every other criterion.
    if (query.minDurationUs !== undefined) where.push(`duration >= ${intOrThrow(query.minDurationUs)}`);
    const found = new Map<string, Span[]>();
    const seen = new Set<string>();
    let offset = 0;
    for (let page = Math.max(FIRST_PAGE, query.limit * 3); ; page = Math.min(MAX_PAGE, page * 2)) {
      // One round trip per page: the next candidate spans, newest first, and the whole traces
      // they belong to (traces seen on earlier pages excluded). OFFSET, not a cursor: rows
      // that arrive meanwhile are newer, so they only make a page re-read a few old rows.
      const result = await this.#pool.query<{ id: string; doc: string; oldest: string }>({
        text: `WITH page AS (
                 SELECT trace_id, ts FROM ${PG_SCHEMA}.spans WHERE ${where.join(' AND ')}
                 ORDER BY ts DESC LIMIT ${page} OFFSET ${offset}),
               candidates AS (
                 SELECT trace_id, min(ts) AS oldest FROM page
                 WHERE trace_id <> ALL($1::bytea[]) GROUP BY trace_id)
               SELECT encode(s.trace_id, 'hex') AS id, s.doc, c.oldest
               FROM candidates c JOIN ${PG_SCHEMA}.spans s ON s.trace_id = c.trace_id`,
        values: [[...seen].map((id) => Buffer.from(id, 'hex'))],
      });
      offset += page;
      const traces = new Map<string, Span[]>();
      let oldestUs = Infinity;
      for (const { id, doc, oldest } of result.rows) {
        const spans = spansOfDoc(id, doc);
        const list = traces.get(id);
        if (list !== undefined) {
          list.push(...spans);
          continue;
        }
        traces.set(id, spans);
        oldestUs = Math.min(oldestUs, Number(oldest));
      }
      for (const [id, spans] of traces) {
        seen.add(id);
        const trace = sortByTimestamp(mergeSpans(spans));
        if (matchesQuery(trace, query)) found.set(id, trace);
      }
      // Rows of already-seen traces are not returned, so a short page may still not be the
      // end: only an empty one is.
      if (result.rows.length === 0 && !(await this.#hasRows(where, offset))) break;
      if (found.size >= query.limit) {
        const newest = [...found.values()].sort(compareTracesNewestFirst).slice(0, query.limit);
        // Every span of an unseen trace starts at or after its trace timestamp, so once the
        // candidates are older than the limit-th match, no unseen trace can rank among them.
        if (oldestUs < traceTimestampUs(newest[newest.length - 1] ?? [])) break;
      }
    }
    return [...found.values()].sort(compareTracesNewestFirst).slice(0, query.limit);
  }

  /** Whether any candidate row lies at or past `offset` (a page of seen traces only). */
  async #hasRows(where: readonly string[], offset: number): Promise<boolean> {
    const result = await this.#pool.query(
      `SELECT 1 FROM ${PG_SCHEMA}.spans WHERE ${where.join(' AND ')} ORDER BY ts DESC LIMIT 1 OFFSET ${offset}`,
    );
    return (result.rowCount ?? 0) > 0;
  }

  async #column(sql: string, values: unknown[] = []): Promise<string[]> {
    const result = await this.#pool.query<{ v: string }>(sql, values);
    return result.rows.map((r) => r.v);
  }

  serviceNames(): Promise<string[]> {
    return this.#column(`SELECT name COLLATE "C" AS v FROM ${PG_SCHEMA}.services ORDER BY v`);
  }

  spanNames(serviceName: string, kind?: string): Promise<string[]> {
    const service = serviceName.toLowerCase();
    if (kind === undefined) {
      return this.#column(
        `SELECT DISTINCT name COLLATE "C" AS v FROM ${PG_SCHEMA}.span_names WHERE service = $1 ORDER BY v`,
        [service],
      );
    }
    return this.#column(
      `SELECT name COLLATE "C" AS v FROM ${PG_SCHEMA}.span_names WHERE service = $1 AND kind = $2 ORDER BY v`,
      [service, kind],
    );
  }

  remoteServiceNames(serviceName: string): Promise<string[]> {
    return this.#column(
      `SELECT remote COLLATE "C" AS v FROM ${PG_SCHEMA}.remote_services WHERE service = $1 ORDER BY v`,
      [serviceName.toLowerCase()],
    );
  }

  autocompleteKeys(): Promise<string[]> {
    return this.#column(`SELECT DISTINCT key COLLATE "C" AS v FROM ${PG_SCHEMA}.tag_values ORDER BY v`);
  }

  autocompleteValues(key: string): Promise<string[]> {
    return this.#column(
      `SELECT value COLLATE "C" AS v FROM ${PG_SCHEMA}.tag_values WHERE key = $1 ORDER BY v`,
      [key],
    );
  }

  /**
   * Summaries of the traces whose timestamp is in the window, computed as the traces are
   * read, in batches. Traces are read newest first by their earliest span (the trace
   * timestamp unless a root started after another span of its trace), each batch sorted.
   */
  async *summarizeTraces(query: SummaryQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]> {
    const window = { endTsMs: query.endTsMs, lookbackMs: query.lookbackMs, limit: 0 };
    const result = await this.#pool.query<{ v: string }>(
      `SELECT encode(trace_id, 'hex') AS v FROM ${PG_SCHEMA}.spans WHERE ts > $1 AND ts <= $2
       GROUP BY trace_id ORDER BY min(ts) DESC`,
      [(query.endTsMs - query.lookbackMs) * 1000 - EDGE_SLACK_US, query.endTsMs * 1000],
    );
    const ids = result.rows.map((r) => r.v);
    let left = query.limit ?? Infinity;
    for (let i = 0; i < ids.length && left > 0; i += TRACES_PER_FETCH) {
      const batch: TraceSummary[] = [];
      for (const [traceId, trace] of await this.#fetchTraces(
        this.#pool,
        ids.slice(i, i + TRACES_PER_FETCH),
      )) {
        const timestampUs = traceTimestampUs(trace);
        if (timestampUs === 0 || !inWindow(timestampUs, window)) continue;
        batch.push({ traceId, timestampUs, ...summarizer.summarize(trace) });
      }
      batch.sort((a, b) => b.timestampUs - a.timestampUs);
      const out = batch.slice(0, left);
      left -= out.length;
      if (out.length > 0) yield out;
    }
  }

  /** Links of the traces whose timestamp is in the window: reads every such trace. */
  async dependencies(endTsMs: number, lookbackMs: number): Promise<DependencyLink[]> {
    const window = { endTsMs, lookbackMs, limit: 0 };
    const ids = await this.#column(
      `SELECT DISTINCT encode(trace_id, 'hex') AS v FROM ${PG_SCHEMA}.spans WHERE ts > $1 AND ts <= $2`,
      [(endTsMs - lookbackMs) * 1000 - EDGE_SLACK_US, endTsMs * 1000],
    );
    const linker = new DependencyLinker();
    for (let i = 0; i < ids.length; i += TRACES_PER_FETCH) {
      const traces = await this.#fetchTraces(this.#pool, ids.slice(i, i + TRACES_PER_FETCH));
      for (const trace of traces.values()) {
        if (inWindow(traceTimestampUs(trace), window)) linker.putTrace(trace);
      }
    }
    return linker.links();
  }
}
