#!/usr/bin/env node
// Runs one benchmark: `npm run bench -- <name> [args…]` bundles bench/<name>.ts with esbuild
// (dependencies stay external) and runs it with this Node. Results land in bench/results/.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
if (!name || !existsSync(path.join(benchDir, `${name}.ts`))) {
  console.error(`usage: npm run bench -- <name> [args…]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
const outDir = path.join(benchDir, 'results');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, `${name}.mjs`);
await build({
  entryPoints: [path.join(benchDir, `${name}.ts`)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--expose-gc', outfile, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
