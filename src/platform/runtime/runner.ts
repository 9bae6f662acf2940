/**
 * The runtime runner's entry when run from `dist/` as plain modules; the build also bundles
 * the runner with the built-in functions into `runner.bundle.cjs` (scripts/bundle-runtime.mjs),
 * which `runtimeRunnerPath()` prefers. See runner-main.ts for how it is started.
 */
import { runRunner } from './runner-main.js';

runRunner();
