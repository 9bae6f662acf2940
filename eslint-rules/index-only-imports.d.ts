// Types of the local lint rule, for its test (src/index-only-imports.test.ts).
import type { ESLint } from 'eslint';

export function checkImport(
  srcDir: string,
  fromFile: string,
  specifier: string,
  faces?: Record<string, string[]>,
): { targetSub: string; targetRel: string } | undefined;

declare const plugin: ESLint.Plugin;
export default plugin;
