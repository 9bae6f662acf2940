/**
 * The read path of the SQLite store. Index look-ups find candidate traces; the pure
 * `matchesQuery` (shared with every adapter) decides. Searches walk the newest rows first
 * and stop as soon as no unseen trace can be newer than the `limit` found so far.
 */
import type Database from 'better-sqlite3';
import type { DependencyLink, Span } from '../../../spans/index.js';
import type { TraceQuery } from '../../trace-store.js';
import { DependencyLinker } from '../../link-dependencies.js';
import { inWindow, matchesQuery } from '../../match-query.js';
import { mergeSpans } from '../../merge-spans.js';
import { normalizeQuery } from '../../normalize-span.js';
import { compareTracesNewestFirst, sortByTimestamp, traceTimestampUs } from '../../trace-timestamp.js';
import { mergeNewestFirst } from './merge-newest-first.js';
import { durationBucket, MAX_BUCKET, traceKey } from './sqlite-schema.js';

/**
 * Index rows are placed by their own start, the window by the trace's (its root's) start.
 * A span of the queried service may start after `endTs` while its trace started before, and
 * a skewed root may start after its trace's first chunk: look this far past both edges of
 * the window. Traces longer than this, or skewed more, may be missed at the window's edges.
 */
const EDGE_SLACK_US = 60_000_000;

export class SqliteSpanReader {
  readonly #db: Database.Database;
  readonly #byTrace: Database.Statement;
  readonly #serviceId: Database.Statement;
  readonly #statementsBySql = new Map<string, Database.Statement[]>();

  constructor(db: Database.Database) {
    this.#db = db;
    this.#byTrace = db.prepare('SELECT trace_id, data FROM chunks WHERE tkey = ?').raw();
    this.#serviceId = db.prepare('SELECT id FROM services WHERE name = ?').pluck();
  }

  /** Every trace stored under a trace key (usually one), merged; `only` keeps one id. */
  #tracesOfKey(tkey: number, only?: string): Span[][] {
    const byId = new Map<string, Span[]>();
    for (const [traceId, json] of this.#byTrace.all(tkey) as [string, string][]) {
      if (only !== undefined && traceId !== only) continue;
      const list = byId.get(traceId) ?? [];
      for (const span of JSON.parse(json) as Span[]) {
        span.traceId = traceId;
        list.push(span);
      }
      byId.set(traceId, list);
    }
    return [...byId.values()].map(mergeSpans);
  }

  getTrace(traceId: string): Span[] {
    const id = traceId.toLowerCase();
    if (!/^[0-9a-f]{1,32}$/.test(id)) return [];
    return sortByTimestamp(this.#tracesOfKey(traceKey(id), id)[0] ?? []);
  }

  findTraces(input: TraceQuery): Span[][] {
    const query = normalizeQuery(input);
    if (query.limit <= 0) return [];
    const fromUs = query.endTsMs * 1000 - query.lookbackMs * 1000;
    const toUs = query.endTsMs * 1000;
    const found = new Map<string, Span[]>();
    const seenKeys = new Set<number>();
    /** Timestamp of the limit-th newest match, once there are `limit` matches. */
    let floorUs = -Infinity;

    const consider = (tkey: number): void => {
      if (seenKeys.has(tkey)) return;
      seenKeys.add(tkey);
      for (const trace of this.#tracesOfKey(tkey)) {
        if (!matchesQuery(trace, query)) continue;
        found.set(trace[0]?.traceId ?? '', trace);
        if (found.size >= query.limit) {
          const newest = [...found.values()].sort(compareTracesNewestFirst).slice(0, query.limit);
          floorUs = traceTimestampUs(newest[newest.length - 1] ?? []);
        }
      }
    };

    if (query.serviceName !== undefined) {
      const svc = this.#serviceId.get(query.serviceName) as number | undefined;
      if (svc === undefined) return [];
      for (const [tkey, ts] of this.#serviceRows(svc, query, fromUs, toUs)) {
        // Every span of an unseen trace starts at or after its trace timestamp, so once rows
        // are older than the limit-th match, no unseen trace can rank among the newest.
        if (ts < floorUs) break;
        consider(tkey);
      }
    } else {
      const rows = this.#db
        .prepare('SELECT tkey, ts_min FROM chunks WHERE ts_min > ? AND ts_min <= ? ORDER BY ts_min DESC')
        .raw()
        .iterate(fromUs - EDGE_SLACK_US, toUs);
      for (const [tkey, tsMin] of rows as Iterable<[number, number]>) {
        if (tsMin < floorUs) break;
        consider(tkey);
      }
    }
    return [...found.values()]
      .sort(compareTracesNewestFirst)
      .slice(0, query.limit)
      .map((trace) => sortByTimestamp(trace));
  }

  /** One statement per bucket (a statement iterates one cursor at a time), by SQL text. */
  #bucketStatements(sql: string): Database.Statement[] {
    let statements = this.#statementsBySql.get(sql);
    if (statements === undefined) {
      statements = Array.from({ length: MAX_BUCKET + 1 }, () => this.#db.prepare(sql).raw());
      this.#statementsBySql.set(sql, statements);
    }
    return statements;
  }

  /** [tkey, ts] of the service's entries that may hold a matching span, newest first. */
  #serviceRows(svc: number, query: TraceQuery, fromUs: number, toUs: number): Generator<[number, number]> {
    let sql = 'SELECT tkey, ts FROM service_spans WHERE svc = ? AND bucket = ? AND ts > ? AND ts <= ?';
    const extra: number[] = [];
    if (query.minDurationUs !== undefined) {
      sql += ' AND dur_max >= ?';
      extra.push(query.minDurationUs);
    }
    if (query.maxDurationUs !== undefined) {
      sql += ' AND dur_min <= ?';
      extra.push(query.maxDurationUs);
    }
    sql += ' ORDER BY ts DESC';
    // Buckets below minDuration's cannot hold a long enough span; each bucket is read newest
    // first by its own statement and the streams are merged.
    const first = durationBucket(query.minDurationUs ?? 0);
    // Prepared up front (and cached): better-sqlite3 refuses to prepare while iterating.
    const statements = this.#bucketStatements(sql).slice(first);
    const streams = statements.map(
      (statement, i) =>
        statement.iterate(svc, first + i, fromUs, toUs + EDGE_SLACK_US, ...extra) as Iterable<
          [number, number]
        >,
    );
    return mergeNewestFirst(streams);
  }

  serviceNames(): string[] {
    return this.#db.prepare('SELECT name FROM services ORDER BY name').pluck().all() as string[];
  }

  spanNames(serviceName: string, kind?: string): string[] {
    const svc = this.#serviceId.get(serviceName.toLowerCase()) as number | undefined;
    if (svc === undefined) return [];
    if (kind === undefined) {
      const sql = 'SELECT DISTINCT name FROM span_names WHERE svc = ? ORDER BY name';
      return this.#db.prepare(sql).pluck().all(svc) as string[];
    }
    const sql = 'SELECT name FROM span_names WHERE svc = ? AND kind = ? ORDER BY name';
    return this.#db.prepare(sql).pluck().all(svc, kind) as string[];
  }

  remoteServiceNames(serviceName: string): string[] {
    const svc = this.#serviceId.get(serviceName.toLowerCase()) as number | undefined;
    if (svc === undefined) return [];
    const sql = 'SELECT remote FROM remote_services WHERE svc = ? ORDER BY remote';
    return this.#db.prepare(sql).pluck().all(svc) as string[];
  }

  autocompleteKeys(): string[] {
    return this.#db.prepare('SELECT DISTINCT key FROM tag_values ORDER BY key').pluck().all() as string[];
  }

  autocompleteValues(key: string): string[] {
    const sql = 'SELECT value FROM tag_values WHERE key = ? ORDER BY value';
    return this.#db.prepare(sql).pluck().all(key) as string[];
  }

  /** Links of the traces whose timestamp is in the window: reads every such trace. */
  dependencies(endTsMs: number, lookbackMs: number): DependencyLink[] {
    const window = { endTsMs, lookbackMs, limit: 0 };
    const linker = new DependencyLinker();
    const rows = this.#db
      .prepare('SELECT DISTINCT tkey FROM chunks WHERE ts_min > ? AND ts_min <= ?')
      .pluck()
      .all((endTsMs - lookbackMs) * 1000 - EDGE_SLACK_US, endTsMs * 1000) as number[];
    for (const tkey of rows) {
      for (const trace of this.#tracesOfKey(tkey)) {
        if (inWindow(traceTimestampUs(trace), window)) linker.putTrace(trace);
      }
    }
    return linker.links();
  }
}
