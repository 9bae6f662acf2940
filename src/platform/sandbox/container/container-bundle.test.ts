import { describe, expect, it } from 'vitest';
import { containerBundleSpec, type BundleInput } from './container-bundle.js';

const image = {
  digest: 'sha256:0',
  rootfs: '/images/x/rootfs',
  config: {
    config: {
      Entrypoint: ['/server'],
      Cmd: ['--port=8080'],
      Env: ['PATH=/opt/bin', 'MODE=image', 'KEEP=1'],
      WorkingDir: '/app',
      User: '1000:1000',
    },
  },
  passwd: '',
  group: '',
  unpackMs: 0,
};

function input(container: Partial<BundleInput['container']>): BundleInput {
  return {
    container: { name: 'fn', image: 'oci:/x', env: {}, ...container },
    image,
    platformEnv: { PORT: '50051', HIVELAB_GATEWAY_URL: 'http://10.0.0.1:8080' },
    hostname: 'fn-1',
    netnsPath: '/run/netns/pod',
    cgroupsPath: '/hivelab/pod/fn',
  };
}

/** The spec's process section, as runc reads it. */
function processOf(spec: Record<string, unknown>) {
  return spec.process as { args: string[]; env: string[]; cwd: string; user: { uid: number; gid: number } };
}

describe('containerBundleSpec', () => {
  it("runs the image's entrypoint and cmd with the image's env, then the spec's, then the platform's", () => {
    const spec = containerBundleSpec(input({ env: { MODE: 'spec', PORT: '1' } }));
    expect(processOf(spec).args).toEqual(['/server', '--port=8080']);
    expect(processOf(spec).env).toEqual(
      expect.arrayContaining(['PATH=/opt/bin', 'MODE=spec', 'KEEP=1', 'PORT=50051']),
    );
    expect(processOf(spec).env).not.toContain('PORT=1');
    expect(processOf(spec).cwd).toBe('/app');
    expect(processOf(spec).user).toMatchObject({ uid: 1000, gid: 1000 });
    expect(spec.hostname).toBe('fn-1');
  });

  it('expands $(VAR) in command and args from the container env, as Kubernetes does ($$ escapes)', () => {
    const spec = containerBundleSpec(
      input({
        command: ['/bin/app'],
        args: ['--port=$(PORT)', '--name=$(NAME)', '$$(PORT)'],
        env: { NAME: 'n' },
      }),
    );
    expect(processOf(spec).args).toEqual(['/bin/app', '--port=50051', '--name=n', '$(PORT)']);
  });

  it('refuses a container with nothing to run, naming it and its image', () => {
    const empty = { ...image, config: { config: {} } };
    expect(() => containerBundleSpec({ ...input({}), image: empty })).toThrow(
      /container fn: image oci:\/x has no entrypoint or cmd/,
    );
  });
});
