/**
 * The worker-thread entry that checkpoints the store's WAL on its own connection. A
 * checkpoint copies WAL pages into the database and fsyncs it: done by the writer's
 * automatic checkpoint, it stalled the collector's event loop for up to ~100 ms every
 * 32 MiB of WAL (~0.8 µs of main-thread time per span). PASSIVE checkpoints never block the
 * writer; the writer keeps a larger automatic checkpoint as a backstop, so the WAL stays
 * bounded even if this thread falls behind or dies.
 * Messages: `'close'` in; `'ready'` and `'closed'` out.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
}

const port = parentPort;
if (port === null) throw new Error('sqlite-checkpoint.worker must run in a worker thread');
const { file, intervalMs } = workerData as CheckpointWorkerData;
const db = new Database(file);

/** Checkpoint passes per tick: each copies what the writer appended during the one before. */
const MAX_PASSES = 8;

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Checkpoints until every WAL frame is in the database. Only then does the writer's next
 * transaction restart the WAL from its beginning; a single pass under steady writes always
 * leaves the frames appended meanwhile, so the WAL would grow to the writer's backstop.
 */
function checkpoint(): void {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
    if (result === undefined || result.busy !== 0 || result.log === result.checkpointed) return;
  }
}

const timer = setInterval(() => {
  try {
    // With nothing new in the WAL this only reads the WAL index: cheap when idle.
    checkpoint();
  } catch {
    // e.g. SQLITE_BUSY during another checkpoint: the next tick (or the backstop) catches up.
  }
}, intervalMs);

port.on('message', (message: unknown) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  port.postMessage('closed');
  port.close();
});
port.postMessage('ready');
