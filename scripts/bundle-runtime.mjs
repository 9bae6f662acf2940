#!/usr/bin/env node
// Bundles the runtime runner and the built-in functions into one CommonJS file,
// dist/platform/runtime/runner.bundle.cjs, which runtimeRunnerPath() prefers to runner.js.
// Why: an instance's boot then reads and compiles one file instead of resolving and
// linking ~30 ES modules, and a built-in function costs no module loading at all
// (measured in the commit that added this). Run after tsc: it bundles dist/, not src/.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
if (!existsSync(path.join(dist, 'platform', 'runtime', 'runner-main.js'))) {
  console.error('bundle-runtime: dist/ is not built; run tsc -p tsconfig.json first');
  process.exit(1);
}
// The built-ins are the platform's BUILTIN_IMAGES (platform/function-spec/builtin-images.ts).
const { BUILTIN_IMAGES } = await import(
  pathToFileURL(path.join(dist, 'platform', 'function-spec', 'builtin-images.js')).href
);
// Each built-in is a lazy import(): bundled, but evaluated only by the instance that runs it.
const table = Object.keys(BUILTIN_IMAGES).map(
  (name) =>
    `  ${JSON.stringify(`functions/${name}.js`)}: () => import(${JSON.stringify(`./functions/${name}.js`)}),`,
);
const entry = [
  "import { runRunner } from './platform/runtime/runner-main.js';",
  'runRunner({',
  ...table,
  '});',
].join('\n');

const outfile = path.join(dist, 'platform', 'runtime', 'runner.bundle.cjs');
const result = await build({
  stdin: { contents: entry, resolveDir: dist, sourcefile: 'runner-bundle-entry.js', loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Dependencies (grpc-js, proto-loader) load from node_modules when a function needs them.
  packages: 'external',
  // The modules find the package root and node builtins from their own URL.
  define: { 'import.meta.url': '__hivelabBundleUrl' },
  banner: { js: "const __hivelabBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  outfile,
  metafile: true,
  absWorkingDir: root,
  logLevel: 'warning',
});
// What went in, with a hash of each file, so runtimeRunnerPath() can tell a bundle whose
// sources changed since (after a plain `tsc`) and fall back to runner.js instead of running
// stale code. Content, not mtimes: tsc rewrites every file even when nothing changed.
const inputs = {};
for (const input of Object.keys(result.metafile.inputs)) {
  if (input.startsWith('<stdin>') || input.includes('runner-bundle-entry')) continue;
  const file = path.resolve(root, input);
  const key = path.relative(dist, file).split(path.sep).join('/');
  inputs[key] = createHash('sha1').update(readFileSync(file)).digest('hex');
}
writeFileSync(`${outfile.slice(0, -'.cjs'.length)}.inputs.json`, `${JSON.stringify(inputs, null, 1)}\n`);
