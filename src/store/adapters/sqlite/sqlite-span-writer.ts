/**
 * The write path of the SQLite store: inserts row batches in ONE transaction (the group
 * commit) and keeps the autocomplete tables and the span counter in step. Synchronous and
 * self-contained so it can run on any connection.
 */
import type Database from 'better-sqlite3';
import { MAX_VALUES_PER_TAG_KEY } from '../../autocomplete.js';
import { durationBucket } from './sqlite-schema.js';
import type { RowBatch } from './span-rows.js';

export class SqliteSpanWriter {
  readonly #db: Database.Database;
  readonly #insertChunk: Database.Statement;
  readonly #upsertService: Database.Statement;
  readonly #insertService: Database.Statement;
  readonly #insertSpanName: Database.Statement;
  readonly #insertRemote: Database.Statement;
  readonly #insertTagValue: Database.Statement;
  readonly #addSpanCount: Database.Statement;
  /** Caches of what the dictionary and autocomplete tables hold, so known facts cost no SQL. */
  readonly #serviceIds = new Map<string, number>();
  readonly #known = new Set<string>();
  readonly #valuesPerKey = new Map<string, number>();
  readonly #transaction: (batches: readonly RowBatch[]) => number;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insertChunk = db.prepare(
      'INSERT INTO chunks (tkey, trace_id, ts_min, ts_max, span_count, data) VALUES (?,?,?,?,?,?)',
    );
    // The same trace, service and start twice (a span reported again): widen the bounds.
    this.#upsertService = db.prepare(
      `INSERT INTO service_spans (svc, bucket, ts, tkey, dur_min, dur_max) VALUES (?,?,?,?,?,?)
       ON CONFLICT (svc, bucket, ts, tkey) DO UPDATE SET dur_min = min(dur_min, excluded.dur_min),
         dur_max = max(dur_max, excluded.dur_max)`,
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
    const services = this.#db.prepare('SELECT id, name FROM services').raw().all() as [number, string][];
    for (const [id, name] of services) this.#serviceIds.set(name, id);
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
    let id = this.#serviceIds.get(name);
    if (id === undefined) {
      id = Number(this.#insertService.run(name).lastInsertRowid);
      this.#serviceIds.set(name, id);
    }
    return id;
  }

  #writeBatch(batch: RowBatch): number {
    for (const c of batch.chunks) {
      this.#insertChunk.run(c.tkey, c.traceId, c.tsMinUs, c.tsMaxUs, c.spanCount, c.json);
    }
    for (const s of batch.services) {
      const bucket = durationBucket(s.durationMaxUs);
      this.#upsertService.run(
        this.#serviceId(s.service),
        bucket,
        s.tsUs,
        s.tkey,
        s.durationMinUs,
        s.durationMaxUs,
      );
    }
    this.#writeFacts(batch);
    return batch.spanCount;
  }

  #writeFacts(batch: RowBatch): void {
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
      // Values are remembered up to a cap per key, so unbounded tags cannot grow the table.
      if (count >= MAX_VALUES_PER_TAG_KEY) continue;
      this.#insertTagValue.run(tagKey, value);
      this.#known.add(key);
      this.#valuesPerKey.set(tagKey, count + 1);
    }
  }
}
