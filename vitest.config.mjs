import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources; child processes (sandboxes, the CLI)
// run the compiled JavaScript under dist/, which `npm test` builds first.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'ui/**/*.test.ts', 'bench/lib/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
