/**
 * The worker-thread entry of the SQLite writer: owns the write connection so that the
 * SQLite work (B-tree inserts, WAL writes) runs on another core than the HTTP parsing of
 * the collector. Messages: `WriteRequest` in, `WriteReply` out.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { prepareDatabase } from './sqlite-schema.js';
import { SqliteSpanWriter } from './sqlite-span-writer.js';
import type { RowBatch } from './span-rows.js';

export interface WriteWorkerData {
  file: string;
  cacheMb: number;
}

export type WriteRequest = { type: 'write'; id: number; batches: RowBatch[] } | { type: 'close' };

export type WriteReply =
  | { type: 'ready' }
  | { type: 'written'; id: number; count: number }
  | { type: 'failed'; id: number; message: string }
  | { type: 'closed' };

const port = parentPort;
if (port === null) throw new Error('sqlite-write.worker must run in a worker thread');
const { file, cacheMb } = workerData as WriteWorkerData;
const db = new Database(file);
prepareDatabase(db, { cacheMb });
const writer = new SqliteSpanWriter(db);
port.postMessage({ type: 'ready' } satisfies WriteReply);

port.on('message', (request: WriteRequest) => {
  if (request.type === 'close') {
    db.close();
    port.postMessage({ type: 'closed' } satisfies WriteReply);
    port.close();
    return;
  }
  try {
    // The reply goes out only after the commit returned: the spans are in the WAL.
    const count = writer.write(request.batches);
    port.postMessage({ type: 'written', id: request.id, count } satisfies WriteReply);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({ type: 'failed', id: request.id, message } satisfies WriteReply);
  }
});
