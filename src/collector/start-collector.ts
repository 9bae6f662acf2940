/**
 * `startCollector`: opens the store, starts the listeners and the retention timer, and
 * returns a handle whose `close()` stops accepting, drains the ingest queue and closes
 * the store.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import { createTraceSummarizer } from '../analysis/index.js';
import { openTraceStore } from '../store/index.js';
import type { RetentionPolicy, TraceStore } from '../store/index.js';
import {
  Forwarder,
  renderForwardMetrics,
  type ForwardTarget,
  type ForwardTargetMetrics,
} from './forward/index.js';
import type { ForwardOptions } from './forward/index.js';
import { IngestQueue } from './ingest/ingest-queue.js';
import type { CollectorMetrics } from './metrics.js';
import { IngestCounters } from './metrics.js';
import type { PlatformLink } from './hivelab/hivelab-routes.js';
import { openRunRegistry } from './hivelab/run-registry.js';
import { startRetention } from './retention.js';
import { listen, mainRoutes, otlpRoutes, stopListening, type ServerContext } from './server.js';

export interface CollectorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** Zipkin and query port; 0 picks a free one. @default 9411 */
  port?: number;
  /** Separate OTLP/HTTP port; 0 picks a free one; `null` for none (OTLP stays on `port`). @default 4318 */
  otlpPort?: number | null;
  /** Folder of the SQLite store (`traces.sqlite`). @default './.hivelab' */
  dataDir?: string;
  /** A store to use instead of the SQLite one under `dataDir`; `close()` closes it too. */
  store?: TraceStore;
  /** Largest request body, before and after decompression. @default 16 MiB */
  maxBodyBytes?: number;
  /** Spans that may wait for the store before ingest answers 429/503. @default 50 000 */
  maxQueuedSpans?: number;
  /** Retention rules and how often to apply them (@default every 60 s); none by default. */
  retention?: RetentionPolicy & { intervalMs?: number };
  /** Where unexpected errors are reported. @default a line on stderr */
  log?: (line: string) => void;
  /** Backends that also get every span once it is durable locally (`--forward`); none by default. */
  forward?: { targets: readonly ForwardTarget[] } & ForwardOptions;
  /** The platform's gateway URL, for the web UI's functions page; see also `setPlatformUrl`. */
  platformUrl?: string;
  /**
   * Keep `/api/hivelab/types` results per time bucket between requests (memory for about
   * 400 000 traces at most); false reads every summary of the window on each request. @default true
   */
  typesCache?: boolean;
}

export interface RunningCollector {
  /** e.g. `http://127.0.0.1:9411` */
  url: string;
  /** e.g. `http://127.0.0.1:4318`; equals `url` when there is no separate OTLP listener. */
  otlpUrl: string;
  store: TraceStore;
  metrics(): CollectorMetrics;
  /** Counters of each forward target (empty without `forward`). */
  forwardMetrics(): ForwardTargetMetrics[];
  /** Tells the web UI where the platform's admin API is (`hivelab up` starts it after the collector). */
  setPlatformUrl(url: string): void;
  /** Stops accepting, drains the ingest queue, closes the store. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_QUEUED_SPANS = 50_000;
/** Waiting this long after a refusal lets a full queue drain at the store's pace. */
const RETRY_AFTER_SECONDS = 1;
/** How long `close()` lets in-flight requests finish before cutting connections. */
const CLOSE_GRACE_MS = 5_000;

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

function urlFor(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** Starts the trace collector. */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? defaultLog;
  const now = (): number => Date.now();
  const store =
    options.store ??
    (await openTraceStore({
      kind: 'sqlite',
      dataDir: path.resolve(options.dataDir ?? '.hivelab'),
      // The analyzer's per-trace summaries are kept at ingest (`/api/hivelab/*`, `analyze --data`).
      summarizer: createTraceSummarizer(),
    }));
  const forwarder =
    options.forward !== undefined && options.forward.targets.length > 0
      ? new Forwarder(options.forward.targets, { log, ...options.forward })
      : undefined;
  const queue = new IngestQueue({
    maxQueuedSpans: options.maxQueuedSpans ?? DEFAULT_MAX_QUEUED_SPANS,
    append: forwarder
      ? async (spans) => {
          await store.append(spans);
          // Only what is durable locally is forwarded; offer() never waits.
          forwarder.offer(spans);
        }
      : (spans) => store.append(spans),
  });
  const counters = new IngestCounters();
  let lastStoreFailureMs = -Infinity;
  const platform: PlatformLink = options.platformUrl === undefined ? {} : { url: options.platformUrl };
  // Runs live beside the SQLite file; a collector given its own store keeps them in memory.
  const runsDir = options.dataDir ?? (options.store ? undefined : '.hivelab');
  const runs = await openRunRegistry(runsDir === undefined ? undefined : path.resolve(runsDir));
  const metrics = (): CollectorMetrics => counters.snapshot(queue.queuedSpans, queue.maxQueuedSpans);
  const context: ServerContext = {
    store,
    ingest: {
      queue,
      counters,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      storeFailure: (error) => {
        // One line per 10 s while the store is failing, not one per refused request.
        if (now() - lastStoreFailureMs < 10_000) return;
        lastStoreFailureMs = now();
        log(`collector: error while storing spans: ${error.message}; ${error.hint}`);
      },
    },
    metrics,
    extraMetrics: () => renderForwardMetrics(forwarder?.metrics() ?? []),
    now,
    log,
    runs,
    platform,
    typesCache: options.typesCache ?? true,
  };
  const servers: Server[] = [];
  try {
    const main = await listen(mainRoutes(context), host, options.port ?? 9411, '--port', log);
    servers.push(main.server);
    let otlpUrl = urlFor(host, main.port);
    const otlpPort = options.otlpPort === undefined ? 4318 : options.otlpPort;
    if (otlpPort !== null) {
      const otlp = await listen(otlpRoutes(context), host, otlpPort, '--otlp-port', log);
      servers.push(otlp.server);
      otlpUrl = urlFor(host, otlp.port);
    }
    const stopRetention = startRetention(store, options.retention ?? {}, now, log);
    let closing: Promise<void> | undefined;
    return {
      url: urlFor(host, main.port),
      otlpUrl,
      store,
      metrics,
      forwardMetrics: () => forwarder?.metrics() ?? [],
      setPlatformUrl: (url) => {
        platform.url = url;
      },
      close: () => (closing ??= shutdown(servers, queue, stopRetention, store, forwarder)),
    };
  } catch (error) {
    await Promise.all(servers.map(stopListening));
    await forwarder?.close(0);
    await store.close();
    throw error;
  }
}

async function shutdown(
  servers: readonly Server[],
  queue: IngestQueue,
  stopRetention: () => Promise<void>,
  store: TraceStore,
  forwarder: Forwarder | undefined,
): Promise<void> {
  const stopped = Promise.all(servers.map(stopListening));
  await queue.whenIdle();
  // Keep-alive sockets turn idle once their last answer is out: close them as they do,
  // and cut whatever is still busy after the grace period.
  let done = false;
  void stopped.then(() => (done = true));
  const deadline = Date.now() + CLOSE_GRACE_MS;
  while (!done && Date.now() < deadline) {
    for (const server of servers) server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const server of servers) server.closeAllConnections();
  await stopped;
  await stopRetention();
  await queue.whenIdle();
  await forwarder?.close(CLOSE_GRACE_MS);
  await store.close();
}
