/**
 * Which runner file an instance starts: the bundle (`runner.bundle.cjs`, written by
 * scripts/bundle-runtime.mjs after tsc) when every file that went into it is unchanged
 * (same content hash as at bundle time), else the plain `runner.js`. A `tsc` rebuild after
 * an edit leaves the bundle stale: it must not run old code then, only lose the faster boot.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { distPath } from '../../package-root.js';

/** Pure: true when there are inputs and each current hash equals the recorded one (undefined = missing file). */
export function bundleIsFresh(
  recorded: Readonly<Record<string, string>>,
  currentHash: (input: string) => string | undefined,
): boolean {
  const inputs = Object.keys(recorded);
  return inputs.length > 0 && inputs.every((input) => currentHash(input) === recorded[input]);
}

function sha1Of(input: string): string | undefined {
  try {
    return createHash('sha1')
      .update(readFileSync(distPath(...input.split('/'))))
      .digest('hex');
  } catch {
    return undefined;
  }
}

function freshBundle(): string | undefined {
  const bundle = distPath('platform', 'runtime', 'runner.bundle.cjs');
  if (!existsSync(bundle)) return undefined;
  let recorded: Record<string, string>;
  try {
    recorded = JSON.parse(
      readFileSync(distPath('platform', 'runtime', 'runner.bundle.inputs.json'), 'utf8'),
    ) as Record<string, string>;
  } catch {
    return undefined;
  }
  return bundleIsFresh(recorded, sha1Of) ? bundle : undefined;
}

let chosen: string | undefined;

/** Absolute path of the runner to start: `[process.execPath, runtimeRunnerPath(), handlerModule]`. */
export function runtimeRunnerPath(): string {
  // Decided once per process (~1 ms of hashing): every instance of a platform runs the same runner.
  chosen ??= freshBundle() ?? distPath('platform', 'runtime', 'runner.js');
  return chosen;
}

/** True for either runner file (a spec may have been made by a process that chose the other). */
export function isRuntimeRunnerPath(file: string): boolean {
  return (
    file === distPath('platform', 'runtime', 'runner.js') ||
    file === distPath('platform', 'runtime', 'runner.bundle.cjs')
  );
}
