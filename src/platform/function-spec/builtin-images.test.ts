import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { distPath } from '../../package-root.js';
import {
  BUILTIN_IMAGES,
  builtinForImage,
  builtinModulePath,
  describeRunnableImages,
  imageRepository,
} from './index.js';

describe('image names', () => {
  it.each([
    ['ghcr.io/ease-lab/helloworld:var_workload', 'ease-lab/helloworld'],
    ['docker.io/vhiveease/pyaes:var_workload', 'vhiveease/pyaes'],
    ['vhiveease/pyaes', 'vhiveease/pyaes'],
    // vHive's helloworld_local.yaml: an in-cluster registry with a port.
    [
      'docker-registry.registry.svc.cluster.local:5000/vhiveease/helloworld:var_workload',
      'vhiveease/helloworld',
    ],
    ['localhost:5000/ustiugov/helloworld@sha256:abcdef0123', 'ustiugov/helloworld'],
    ['docker.io/library/nginx:1.25', 'nginx'],
  ])('%s → repository %s', (image, repository) => {
    expect(imageRepository(image)).toBe(repository);
  });

  it.each([
    ['builtin:helloworld', 'helloworld'],
    ['builtin:trace-func', 'trace-func'],
    ['ghcr.io/ease-lab/pyaes:var_workload', 'aes'],
    ['ustiugov/helloworld:var_workload', 'helloworld'],
    ['docker-registry.registry.svc.cluster.local:5000/vhiveease/helloworld:var_workload', 'helloworld'],
    ['builtin:nope', undefined],
    ['ustiugov/rnn_serving:var_workload', undefined],
    ['crccheck/hello-world:latest', undefined],
  ])('%s runs as built-in %s', (image, builtin) => {
    expect(builtinForImage(image)).toBe(builtin);
  });

  it('the runnable list names every built-in and the command escape hatch', () => {
    const text = describeRunnableImages();
    for (const name of ['helloworld', 'aes', 'trace-func', 'sleep'])
      expect(text).toContain(`builtin:${name}`);
    expect(text).toContain('containers[0].command');
  });
});

describe('BUILTIN_IMAGES', () => {
  // The one list of built-ins: each has a compiled module that default-exports a function
  // module, and the runtime bundle (scripts/bundle-runtime.mjs) holds each of them.
  it.each(Object.keys(BUILTIN_IMAGES))('builtin:%s has a compiled function module', async (name) => {
    expect(existsSync(builtinModulePath(name))).toBe(true);
    const mod = (await import(pathToFileURL(builtinModulePath(name)).href)) as { default?: unknown };
    expect(typeof mod.default).toBe('object');
  });

  it('the runtime bundle holds every built-in', () => {
    const inputs = JSON.parse(
      readFileSync(distPath('platform', 'runtime', 'runner.bundle.inputs.json'), 'utf8'),
    ) as Record<string, string>;
    for (const name of Object.keys(BUILTIN_IMAGES))
      expect(Object.keys(inputs)).toContain(`functions/${name}.js`);
  });
});
