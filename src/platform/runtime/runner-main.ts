/**
 * The runtime runner (entries: `dist/platform/runtime/runner.js`, or the bundle) hosts a
 * JavaScript function module on `$PORT`. Started three ways:
 * - `node runner.js <handler module>` (or env `HIVELAB_HANDLER_MODULE`): a fresh instance;
 * - env `HIVELAB_PREWARM=1` with an IPC channel: a generic runtime that waits for a
 *   `hivelab-specialize` message naming the module, port and env;
 * - as a worker thread, with the same settings in `workerData`.
 * Protocol from env `HIVELAB_PROTOCOL` (`http1` | `h2c`).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { distPath } from '../../package-root.js';
import type { FunctionModule } from '../../sdk/index.js';
import { hostFunction } from './host-function.js';
import { openRunnerChannel } from './runner-channel.js';
import type { EarlyListener } from './early-listener.js';
import type { RunnerChannel } from './runner-channel.js';
import { epochNowMs } from './runner-report.js';
import type { WorkerRunnerData } from './runner-report.js';
import { asFunctionModule } from './serve-function.js';

const runtimeUpAt = epochNowMs();

/**
 * Modules built into the runner bundle (scripts/bundle-runtime.mjs), by path relative to
 * `dist/` (`functions/helloworld.js`): a built-in function then costs no module loading.
 */
export type BundledModules = Readonly<Record<string, () => Promise<{ default?: unknown }>>>;

let bundled: BundledModules = {};

async function importModule(handlerModule: string): Promise<FunctionModule> {
  const inBundle = bundled[path.relative(distPath(), path.resolve(handlerModule)).split(path.sep).join('/')];
  const imported = inBundle
    ? await inBundle()
    : ((await import(pathToFileURL(handlerModule).href)) as { default?: unknown });
  return asFunctionModule(imported.default, handlerModule);
}

function protocolOf(value: string | undefined): 'http1' | 'h2c' {
  return value === 'h2c' ? 'h2c' : 'http1';
}

function host(
  channel: RunnerChannel,
  handlerModule: string,
  port: number,
  protocol: 'http1' | 'h2c',
  listener?: EarlyListener,
): void {
  hostFunction({
    load: () => importModule(handlerModule),
    runInit: true,
    port,
    ...(listener ? { listener } : {}),
    protocol,
    channel,
    runtimeUpAt,
    restoredFromSnapshot: false,
    reportHeapUsage: !isMainThread,
  }).then(
    () => {
      if (isMainThread) {
        process.once('SIGTERM', () => process.exit(0));
      }
    },
    (error: unknown) => {
      process.stderr.write(`hivelab runner: ${error instanceof Error ? error.message : String(error)}\n`);
      if (isMainThread) process.exit(1);
      else throw error;
    },
  );
}

/** Runs the runner; `modules` are the ones built into this bundle (none when run from dist/). */
export function runRunner(modules: BundledModules = {}): void {
  bundled = modules;
  const channel = openRunnerChannel(isMainThread ? null : parentPort);
  if (!isMainThread) {
    const data = workerData as WorkerRunnerData;
    if (data.handlerModule) {
      host(channel, data.handlerModule, data.port, data.protocol);
      return;
    }
  } else if (process.env.HIVELAB_PREWARM !== '1') {
    const handlerModule = process.argv[2] ?? process.env.HIVELAB_HANDLER_MODULE;
    if (!handlerModule) {
      process.stderr.write(
        'hivelab runner: usage: runner.js <handler module> (or env HIVELAB_HANDLER_MODULE)\n',
      );
      process.exit(2);
    }
    host(channel, handlerModule, Number(process.env.PORT ?? 0), protocolOf(process.env.HIVELAB_PROTOCOL));
    return;
  }
  // Prewarmed: the runtime is up; wait to be told which function to become. It listens
  // already (early-listener.ts), on a port it reports with idle.
  let specialised = false;
  let early: EarlyListener | undefined;
  channel.onMessage((message) => {
    if (message.type !== 'hivelab-specialize' || specialised) return;
    specialised = true;
    // Env vars cannot be set from outside after spawn: the function's env comes over IPC
    // and replaces the generic runtime's, so the instance sees exactly what a booted one would.
    for (const name of Object.keys(process.env)) {
      if (!Object.hasOwn(message.env, name)) Reflect.deleteProperty(process.env, name);
    }
    Object.assign(process.env, message.env, { PORT: String(message.port) });
    if (message.cwd !== undefined && isMainThread) process.chdir(message.cwd);
    // Told another port (taken before this one was known): serve there, as a booted one would.
    const listener = early?.port === message.port ? early : undefined;
    if (!listener) void early?.close();
    host(channel, message.handlerModule, message.port, message.protocol, listener);
  });
  // Listen (a process only: the worker sandbox gives its threads their port up front), then
  // load and exercise the runtime's own serving code and the SDK, so specialising only
  // imports the function itself; idle is reported once that is done (the pool waits for it).
  void (isMainThread ? import('./early-listener.js') : Promise.resolve(undefined))
    .then(async (module) => {
      const listener = await module?.listenEarly().catch(() => undefined);
      // Specialised meanwhile (taken before idle): it listens where it was told.
      if (specialised) void listener?.close();
      else early = listener;
    })
    .then(() => import('./prewarm-warmup.js'))
    .then(({ warmUpRuntime }) => warmUpRuntime())
    .then(() => channel.send({ type: 'hivelab-idle', ...(early ? { port: early.port } : {}) }));
}
