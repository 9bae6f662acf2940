import { describe, expect, it } from 'vitest';
import { parseServiceYaml } from './parse-service.js';
import { readProbe } from './probe-spec.js';

const serving = { containerPort: 8080, name: 'http' };
const read = (raw: unknown, kind: 'readiness' | 'liveness' = 'readiness') => {
  const issues: string[] = [];
  return { probe: readProbe(raw, kind, 'p', serving, issues), issues };
};

describe('readProbe (Knative validation and defaults)', () => {
  it('defaults a readiness probe to aggressive probing, a liveness probe to Kubernetes timing', () => {
    expect(read({ tcpSocket: {} }).probe).toEqual({
      handler: { kind: 'tcpSocket' },
      initialDelaySeconds: 0,
      periodSeconds: 0,
      timeoutSeconds: 0,
      failureThreshold: 0,
      successThreshold: 1,
    });
    expect(read({ httpGet: { path: '/livez', port: 8080 } }, 'liveness').probe).toEqual({
      handler: { kind: 'httpGet', path: '/livez', headers: [] },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(read({ grpc: { port: 9000, service: 'fn' }, periodSeconds: 2 }).probe).toMatchObject({
      handler: { kind: 'grpc', port: 9000, service: 'fn' },
      periodSeconds: 2,
      timeoutSeconds: 1,
      failureThreshold: 3,
    });
    expect(
      read({ httpGet: { port: 'http', httpHeaders: [{ name: 'X-A', value: 'b' }] } }).probe?.handler,
    ).toEqual({
      kind: 'httpGet',
      path: '/',
      headers: [{ name: 'X-A', value: 'b' }],
    });
  });

  it.each([
    [{}, /p: expected one of httpGet, tcpSocket or grpc, got none/],
    [
      { httpGet: {}, tcpSocket: {} },
      /p: expected exactly one of httpGet, tcpSocket or grpc, got httpGet and tcpSocket/,
    ],
    [{ exec: { command: ['true'] } }, /p\.exec: not supported/],
    [{ tcpSocket: {}, timeoutSeconds: 2 }, /p\.timeoutSeconds: disallowed when periodSeconds is zero/],
    [{ tcpSocket: {}, failureThreshold: 2 }, /p\.failureThreshold: disallowed when periodSeconds is zero/],
    [
      { tcpSocket: { port: 'h2c' } },
      /p\.tcpSocket\.port: expected the serving port's name "http" or a port number, got "h2c"/,
    ],
    [{ grpc: {} }, /p\.grpc\.port: expected a port number \(Kubernetes requires it\)/],
    [{ httpGet: { path: 'ready' } }, /p\.httpGet\.path: expected a path starting with "\/"/],
    [{ httpGet: { scheme: 'HTTPS' } }, /p\.httpGet\.scheme: expected "HTTP"/],
    [{ tcpSocket: {}, periodSeconds: -1 }, /p\.periodSeconds: expected an integer of at least 0, got -1/],
    [{ tcpSocket: {}, periodSeconds: 1 }, null],
    [{ tcpSocket: {}, peroidSeconds: 1 }, /p\.peroidSeconds: not a probe field/],
  ])('%j', (raw, message) => {
    const { probe, issues } = read(raw);
    if (message === null) expect(issues).toEqual([]);
    else {
      expect(probe).toBeUndefined();
      expect(issues.join('\n')).toMatch(message);
    }
  });

  it('refuses successThreshold > 1 on a liveness probe', () => {
    expect(read({ tcpSocket: {}, successThreshold: 2 }, 'liveness').issues.join()).toMatch(
      /p\.successThreshold: must be 1 for a liveness probe/,
    );
  });
});

describe('probes in a Service YAML', () => {
  const yaml = (container: string, extra = '') =>
    `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: probed }\nspec:\n  template:\n    spec:\n      containers:\n        - ${container}\n${extra}`;

  it("reads the serving container's probes into the spec", () => {
    const spec = parseServiceYaml(
      yaml(
        '{ image: builtin:helloworld, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: /ready }, periodSeconds: 1 }, livenessProbe: { tcpSocket: { port: 8080 } } }',
      ),
      { baseDir: '/tmp' },
    );
    expect(spec.readinessProbe).toMatchObject({
      handler: { kind: 'httpGet', path: '/ready' },
      periodSeconds: 1,
    });
    expect(spec.livenessProbe).toMatchObject({ handler: { kind: 'tcpSocket' }, periodSeconds: 10 });
  });

  it('names the field of a bad probe, a sidecar probe and a startupProbe', () => {
    expect(() =>
      parseServiceYaml(yaml('{ image: builtin:helloworld, readinessProbe: { exec: { command: [x] } } }'), {
        baseDir: '/tmp',
      }),
    ).toThrow(/spec\.template\.spec\.containers\[0\]\.readinessProbe\.exec: not supported/);
    expect(() =>
      parseServiceYaml(yaml('{ image: builtin:helloworld, startupProbe: { tcpSocket: {} } }'), {
        baseDir: '/tmp',
      }),
    ).toThrow(/containers\[0\]\.startupProbe: not supported/);
    const pod = yaml(
      '{ image: builtin:helloworld, ports: [{ containerPort: 8080 }] }',
      '        - { image: builtin:helloworld, livenessProbe: { tcpSocket: {} } }\n',
    );
    expect(() => parseServiceYaml(pod, { baseDir: '/tmp' })).toThrow(
      /containers\[1\]: probes are allowed on the serving container only/,
    );
  });
});
