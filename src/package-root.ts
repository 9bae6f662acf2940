/**
 * Where the package lives on disk. Sources (`src/`, run by Vitest) and the build (`dist/`)
 * sit at the same depth under the package root, so this works from both. Child processes
 * (sandboxes, runners, the CLI in tests) always run the built JavaScript: `distPath(…)`.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const packageRoot: string = fileURLToPath(new URL('..', import.meta.url));

/** Absolute path of a built file, e.g. `distPath('platform', 'runtime', 'runner.js')`. */
export function distPath(...segments: string[]): string {
  return path.join(packageRoot, 'dist', ...segments);
}
