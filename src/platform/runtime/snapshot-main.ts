/**
 * The startup-snapshot side of the runner. The snapshot builder bundles this file with one
 * function module into a single CommonJS script and runs it under
 * `node --build-snapshot`: the module is loaded and initialised at build time; the restored process only has to listen. Node 20 only lets a
 * snapshot script require built-ins at build time, so anything else (grpc) loads on restore.
 */
import v8 from 'node:v8';
import { hostFunction } from './host-function.js';
import { openRunnerChannel } from './runner-channel.js';
import { epochNowMs } from './runner-report.js';
import { asFunctionModule } from './serve-function.js';

/** Called by the generated bundle entry with the function module's default export. */
export function prepareSnapshot(exported: unknown, handlerModule: string): void {
  const mod = asFunctionModule(exported, handlerModule);
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    const runtimeUpAt = epochNowMs();
    hostFunction({
      load: () => mod,
      runInit: false,
      port: Number(process.env.PORT ?? 0),
      protocol: process.env.HIVELAB_PROTOCOL === 'h2c' ? 'h2c' : 'http1',
      channel: openRunnerChannel(null),
      runtimeUpAt,
      restoredFromSnapshot: true,
      reportHeapUsage: false,
    }).then(
      () => process.once('SIGTERM', () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(
          `hivelab snapshot runner: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  });
  // No warm-up call here, unlike vHive: a web Request/Response loads node's HTTP parser,
  // whose native handles Node 20 cannot put in a snapshot.
  void Promise.resolve(mod.init?.());
}
