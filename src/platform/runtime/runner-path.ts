/**
 * Which runner file an instance starts: the bundle (`runner.bundle.cjs`, written by
 * scripts/bundle-runtime.mjs after tsc) when it is at least as new as every file that went
 * into it, else the plain `runner.js`. A plain `tsc` rebuild leaves the bundle stale: it
 * must not run old code then, only lose the faster boot.
 */
import { readFileSync, statSync } from 'node:fs';
import { distPath } from '../../package-root.js';

/** Pure: true when the bundle exists and no input is newer (mtimes in ms; undefined = missing). */
export function bundleIsFresh(
  bundleMtimeMs: number | undefined,
  inputMtimesMs: (number | undefined)[],
): boolean {
  if (bundleMtimeMs === undefined || inputMtimesMs.length === 0) return false;
  return inputMtimesMs.every((mtime) => mtime !== undefined && mtime <= bundleMtimeMs);
}

function mtimeMs(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function freshBundle(): string | undefined {
  const bundle = distPath('platform', 'runtime', 'runner.bundle.cjs');
  let inputs: string[];
  try {
    inputs = JSON.parse(
      readFileSync(distPath('platform', 'runtime', 'runner.bundle.inputs.json'), 'utf8'),
    ) as string[];
  } catch {
    return undefined;
  }
  const fresh = bundleIsFresh(
    mtimeMs(bundle),
    inputs.map((input) => mtimeMs(distPath(...input.split('/')))),
  );
  return fresh ? bundle : undefined;
}

let chosen: string | undefined;

/** Absolute path of the runner to start: `[process.execPath, runtimeRunnerPath(), handlerModule]`. */
export function runtimeRunnerPath(): string {
  // Decided once per process: every instance of a platform runs the same runner.
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
