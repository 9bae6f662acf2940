/**
 * Where the package lives on disk. Child processes (sandboxes, runners, the CLI in tests)
 * always run the built JavaScript: `distPath(…)`.
 *
 * Found by walking up from this module to the `package.json` named `hivelab`, so it holds
 * from the sources (`src/`, run by Vitest), the build (`dist/`) and a bundled benchmark
 * (`bench/results/*.mjs`) alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(startDir: string): string {
  for (let dir = startDir; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'hivelab'
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`hivelab's package.json not found above ${startDir}`);
  }
}

export const packageRoot: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Absolute path of a built file, e.g. `distPath('platform', 'runtime', 'runner.js')`. */
export function distPath(...segments: string[]): string {
  return path.join(packageRoot, 'dist', ...segments);
}
