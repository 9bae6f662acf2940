/**
 * The write path of the SQLite store: inserts row batches in ONE transaction (the group
 * commit) and keeps the autocomplete tables and the span counter in step. Synchronous and
 * self-contained so it can run on any connection (main thread or a worker).
 */
import type Database from 'better-sqlite3';
import { MAX_VALUES_PER_TAG_KEY } from '../../autocomplete.js';
import type { RowBatch, SpanRow } from './span-rows.js';

/** Rows per multi-row INSERT: fewer statement calls, under SQLite's 32 766 parameters. */
const ROWS_PER_INSERT = 100;

export class SqliteSpanWriter {
  readonly #db: Database.Database;
  readonly #insertMany: Database.Statement;
  readonly #insertOne: Database.Statement;
  readonly #upsertTrace: Database.Statement;
  readonly #insertService: Database.Statement;
  readonly #insertSpanName: Database.Statement;
  readonly #insertRemote: Database.Statement;
  readonly #insertTagValue: Database.Statement;
  readonly #addSpanCount: Database.Statement;
  /** Caches of what the autocomplete tables hold, so known facts cost no SQL. */
  readonly #serviceIds = new Map<string, number>();
  readonly #known = new Set<string>();
  readonly #valuesPerKey = new Map<string, number>();
  readonly #transaction: (batches: readonly RowBatch[]) => number;

  constructor(db: Database.Database) {
    this.#db = db;
    const values = Array.from({ length: ROWS_PER_INSERT }, () => '(?,?,?,?,?)').join(',');
    this.#insertMany = db.prepare(`INSERT INTO spans (tkey, svc, ts, dur, data) VALUES ${values}`);
    this.#insertOne = db.prepare('INSERT INTO spans (tkey, svc, ts, dur, data) VALUES (?,?,?,?,?)');
    this.#upsertTrace = db.prepare(
      `INSERT INTO traces (tkey, ts_min, ts_max, span_count) VALUES (?,?,?,?)
       ON CONFLICT (tkey) DO UPDATE SET ts_min = min(ts_min, excluded.ts_min),
         ts_max = max(ts_max, excluded.ts_max), span_count = span_count + excluded.span_count`,
    );
    this.#insertService = db.prepare('INSERT INTO services (name) VALUES (?)');
    this.#insertSpanName = db.prepare('INSERT OR IGNORE INTO span_names VALUES (?,?,?)');
    this.#insertRemote = db.prepare('INSERT OR IGNORE INTO remote_services VALUES (?,?)');
    this.#insertTagValue = db.prepare('INSERT OR IGNORE INTO tag_values VALUES (?,?)');
    this.#addSpanCount = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'span_count'");
    this.#loadCaches();
    this.#transaction = db.transaction((batches: readonly RowBatch[]) => {
      let count = 0;
      for (const batch of batches) count += this.#writeBatch(batch);
      this.#addSpanCount.run(count);
      return count;
    });
  }

  #loadCaches(): void {
    for (const row of this.#db.prepare('SELECT id, name FROM services').all() as {
      id: number;
      name: string;
    }[]) {
      this.#serviceIds.set(row.name, row.id);
    }
    const spanNames = this.#db.prepare('SELECT svc, kind, name FROM span_names').raw().all() as [
      number,
      string,
      string,
    ][];
    for (const [svc, kind, name] of spanNames) this.#known.add(`n\u0000${svc}\u0000${kind}\u0000${name}`);
    const remotes = this.#db.prepare('SELECT svc, remote FROM remote_services').raw().all() as [
      number,
      string,
    ][];
    for (const [svc, remote] of remotes) this.#known.add(`r\u0000${svc}\u0000${remote}`);
    const tags = this.#db.prepare('SELECT key, value FROM tag_values').raw().all() as [string, string][];
    for (const [key, value] of tags) {
      this.#known.add(`t\u0000${key}\u0000${value}`);
      this.#valuesPerKey.set(key, (this.#valuesPerKey.get(key) ?? 0) + 1);
    }
  }

  /** Writes the batches in one transaction; returns the number of spans written. */
  write(batches: readonly RowBatch[]): number {
    try {
      return this.#transaction(batches);
    } catch (error) {
      // The rollback undid rows the caches already remember: reload them from the file.
      this.#serviceIds.clear();
      this.#known.clear();
      this.#valuesPerKey.clear();
      this.#loadCaches();
      throw error;
    }
  }

  #serviceId(name: string): number {
    if (name === '') return 0;
    let id = this.#serviceIds.get(name);
    if (id === undefined) {
      id = Number(this.#insertService.run(name).lastInsertRowid);
      this.#serviceIds.set(name, id);
    }
    return id;
  }

  #writeRows(rows: readonly SpanRow[]): void {
    let i = 0;
    const params: (number | string)[] = new Array<number | string>(ROWS_PER_INSERT * 5);
    for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
      for (let j = 0; j < ROWS_PER_INSERT; j++) {
        const row = rows[i + j] as SpanRow;
        const p = j * 5;
        params[p] = row.tkey;
        params[p + 1] = this.#serviceId(row.service);
        params[p + 2] = row.tsUs;
        params[p + 3] = row.durationUs;
        params[p + 4] = row.json;
      }
      this.#insertMany.run(params);
    }
    for (; i < rows.length; i++) {
      const row = rows[i] as SpanRow;
      this.#insertOne.run(row.tkey, this.#serviceId(row.service), row.tsUs, row.durationUs, row.json);
    }
  }

  #writeBatch(batch: RowBatch): number {
    this.#writeRows(batch.rows);
    for (const t of batch.traces) this.#upsertTrace.run(t.tkey, t.tsMinUs, t.tsMaxUs, t.spanCount);
    for (const [service, kind, name] of batch.spanNames) {
      const svc = this.#serviceId(service);
      const key = `n\u0000${svc}\u0000${kind}\u0000${name}`;
      if (this.#known.has(key)) continue;
      this.#insertSpanName.run(svc, kind, name);
      this.#known.add(key);
    }
    for (const [service, remote] of batch.remoteServices) {
      const svc = this.#serviceId(service);
      const key = `r\u0000${svc}\u0000${remote}`;
      if (this.#known.has(key)) continue;
      this.#insertRemote.run(svc, remote);
      this.#known.add(key);
    }
    for (const [tagKey, value] of batch.tagValues) {
      const key = `t\u0000${tagKey}\u0000${value}`;
      if (this.#known.has(key)) continue;
      const count = this.#valuesPerKey.get(tagKey) ?? 0;
      // The key is always recorded; values only up to the cap.
      if (count >= MAX_VALUES_PER_TAG_KEY) continue;
      this.#insertTagValue.run(tagKey, value);
      this.#known.add(key);
      this.#valuesPerKey.set(tagKey, count + 1);
    }
    return batch.rows.length;
  }
}
