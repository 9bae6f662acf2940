/**
 * Picks and opens the source the flags name: `--data DIR` (the SQLite store), `--store URL`
 * (a PostgreSQL store), `--zipkin URL`, `--jaeger URL`, `--file F…`, else the local
 * collector's Zipkin API.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import {
  openTraceStore,
  PostgresTraceStore,
  SQLITE_FILE_NAME,
  storeOptionsFromFlag,
} from '../../store/index.js';
import { createTraceSummarizer } from '../summary/trace-summarizer.js';
import { FileSource } from './file-source.js';
import { JaegerSource } from './jaeger-source.js';
import { StoreSource } from './store-source.js';
import type { TraceSource } from './trace-source.js';
import { ZipkinSource } from './zipkin-source.js';

/** Where `hivelab up` / `hivelab collector` listen by default. */
export const DEFAULT_COLLECTOR_URL = 'http://127.0.0.1:9411';

export interface SourceFlags {
  data?: string;
  /** A `postgres://` URL. */
  store?: string;
  zipkin?: string;
  jaeger?: string;
  file?: readonly string[];
}

/** True when the flags name files (no time window applies by default). */
export function isFileSource(flags: SourceFlags): boolean {
  return (flags.file?.length ?? 0) > 0;
}

export async function openSource(flags: SourceFlags): Promise<TraceSource> {
  const named = [
    flags.data,
    flags.store,
    flags.zipkin,
    flags.jaeger,
    isFileSource(flags) ? 'file' : undefined,
  ].filter((f) => f !== undefined);
  if (named.length > 1) throw new UserError('give one source: --data, --store, --zipkin, --jaeger or --file');
  if (flags.store !== undefined) {
    const options = storeOptionsFromFlag(flags.store, '.');
    if (options.kind !== 'postgres') {
      throw new UserError(
        `--store: expected a postgres:// URL, got ${JSON.stringify(flags.store)}`,
        'for the SQLite store give its folder with --data',
      );
    }
    const store = await openTraceStore({ ...options, summarizer: createTraceSummarizer() });
    const shown = store instanceof PostgresTraceStore ? store.shownUrl : flags.store;
    return new StoreSource(store, `the store at ${shown}`);
  }
  if (flags.data !== undefined) {
    if (!existsSync(path.join(flags.data, SQLITE_FILE_NAME))) {
      throw new UserError(
        `no trace store in ${flags.data} (no ${SQLITE_FILE_NAME})`,
        'give the --data folder of hivelab up or hivelab collector',
      );
    }
    // The default summarizer: the store keeps its summaries (the collector computes them at ingest).
    const store = await openTraceStore({
      kind: 'sqlite',
      dataDir: flags.data,
      summarizer: createTraceSummarizer(),
    });
    return new StoreSource(store, `the store in ${flags.data}`);
  }
  if (flags.jaeger !== undefined) return new JaegerSource(flags.jaeger);
  if (isFileSource(flags)) return FileSource.open(flags.file ?? []);
  return new ZipkinSource(flags.zipkin ?? DEFAULT_COLLECTOR_URL);
}
