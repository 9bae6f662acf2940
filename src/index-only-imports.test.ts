// The lint rule that keeps imports to a subsystem's face (eslint-rules/index-only-imports.js).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImport } from '../eslint-rules/index-only-imports.js';
import { packageRoot } from './package-root.js';

const srcDir = path.join(packageRoot, 'src');
const from = (file: string) => path.join(srcDir, file);

describe('index-only-imports', () => {
  it.each([
    ['collector/server.ts', '../store/index.js', 'the face of another subsystem'],
    ['collector/query/zipkin-api.ts', '../server.js', 'a module of the same subsystem'],
    ['collector/server.ts', '../errors.js', 'a shared top-level file'],
    ['sdk/call.ts', '../tracing/index.js', 'the face of another subsystem, from the SDK'],
    ['cli/commands/up.test.ts', '../../platform/testing/index.js', 'a test face, from a test'],
    ['platform/testing/platform-kit.ts', '../../spans/testing/index.js', 'a test face, from test support'],
    ['collector/server.ts', 'node:http', 'a package'],
    ['../bench/store.ts', '../src/spans/index.js', 'a face, from bench/'],
    ['../bench/autoscaler.ts', '../src/platform/autoscaler/index.js', "a folder's face, from bench/"],
    ['../ui/e2e/ui.e2e.test.ts', '../src/model/trace-model.js', "the UI's own src/"],
  ])('allows %s -> %s (%s)', (file, specifier) => {
    expect(checkImport(srcDir, from(file), specifier)).toBeUndefined();
  });

  it.each([
    ['collector/server.ts', '../store/trace-store.js', 'store', 'store/trace-store.ts'],
    ['store/span-tree.ts', '../spans/otlp-codec.js', 'spans', 'spans/otlp-codec.ts'],
    [
      'index.ts',
      './platform/function-spec/function-spec.js',
      'platform',
      'platform/function-spec/function-spec.ts',
    ],
    ['collector/server.ts', '../platform/testing/index.js', 'platform', 'platform/testing/index.ts'],
    [
      'cli/commands/up.test.ts',
      '../../platform/testing/platform-kit.js',
      'platform',
      'platform/testing/platform-kit.ts',
    ],
    ['../bench/store.ts', '../src/spans/otlp-codec.js', 'spans', 'spans/otlp-codec.ts'],
    [
      '../bench/container-cold-start.ts',
      '../src/platform/sandbox/testing/oci-test-image.js',
      'platform',
      'platform/sandbox/testing/oci-test-image.ts',
    ],
    ['../ui/testing/fixture.ts', '../../src/store/trace-store.js', 'store', 'store/trace-store.ts'],
  ])('reports %s -> %s', (file, specifier, targetSub, targetRel) => {
    expect(checkImport(srcDir, from(file), specifier)).toEqual({ targetSub, targetRel });
  });
});
