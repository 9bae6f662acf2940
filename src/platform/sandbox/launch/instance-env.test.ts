import { describe, expect, it } from 'vitest';
import { defaultAutoscaling } from '../../function-spec/default-autoscaling.js';
import type { FunctionSpec } from '../../function-spec/function-spec.js';
import { RevisionNumbers, genericRuntimeEnv, instanceEnv, revisionName } from './instance-env.js';

const host = {
  PATH: '/usr/bin',
  HOME: '/home/lab',
  LANG: 'C.UTF-8',
  NODE_OPTIONS: '--require /tmp/hook.js',
  NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
  AWS_REGION: 'eu-west-1',
  HIVELAB_GATEWAY_URL: 'http://127.0.0.1:8080',
  UNSET: undefined,
};

function spec(overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name: 'fn',
    namespace: 'default',
    image: 'builtin:helloworld',
    command: ['/usr/bin/node', 'runner.js'],
    env: { GREETING: 'hi' },
    workingDir: '/srv',
    protocol: 'http1',
    containerConcurrency: 0,
    timeoutMs: 1000,
    sandbox: 'process',
    coldStart: 'boot',
    autoscaling: defaultAutoscaling(0),
    ...overrides,
  };
}

describe('instanceEnv', () => {
  it('keeps the allow-list, hivelab variables and the spec env; drops the rest of the host', () => {
    const env = instanceEnv(spec(), { instanceId: 'fn-1', revision: 'fn-00001' }, host);
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/lab',
      LANG: 'C.UTF-8',
      HIVELAB_GATEWAY_URL: 'http://127.0.0.1:8080',
      GREETING: 'hi',
      HIVELAB_FUNCTION_NAME: 'fn',
      HIVELAB_INSTANCE_ID: 'fn-1',
      HIVELAB_PROTOCOL: 'http1',
      K_SERVICE: 'fn',
      K_CONFIGURATION: 'fn',
      K_REVISION: 'fn-00001',
    });
  });

  it('passes the host variables named in passEnv (set ones only); the spec env wins over the host', () => {
    const env = instanceEnv(
      spec({ passEnv: ['AWS_REGION', 'UNSET', 'NOT_SET_AT_ALL'], env: { PATH: '/opt/bin' } }),
      { instanceId: 'fn-2', revision: 'fn-00001' },
      host,
    );
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(env.PATH).toBe('/opt/bin');
    expect('UNSET' in env || 'NOT_SET_AT_ALL' in env || 'NODE_OPTIONS' in env).toBe(false);
  });

  it('gives a generic prewarmed runtime the allow-list only', () => {
    expect(genericRuntimeEnv(host)).toEqual({ PATH: '/usr/bin', HOME: '/home/lab', LANG: 'C.UTF-8' });
  });
});

describe('revisions', () => {
  it('names revisions as Knative does and starts a new one when the spec changes', () => {
    expect(revisionName('hello', 12)).toBe('hello-00012');
    const revisions = new RevisionNumbers();
    expect(revisions.revisionOf(spec())).toBe('fn-00001');
    expect(revisions.revisionOf(spec())).toBe('fn-00001');
    expect(revisions.revisionOf(spec({ env: { GREETING: 'hello' } }))).toBe('fn-00002');
    expect(revisions.revisionOf(spec({ name: 'other' }))).toBe('other-00001');
    expect(revisions.revisionOf(spec({ namespace: 'lab' }))).toBe('fn-00001');
  });
});
