import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { builtinModulePath, parseServiceYaml } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const baseDir = '/srv/fns';

/** A Service YAML with the given annotations, template spec lines and container lines. */
function serviceYaml(
  options: { annotations?: Record<string, string>; spec?: string[]; container?: string[] } = {},
): string {
  const annotations = Object.entries(options.annotations ?? {}).map(
    ([k, v]) => `        ${k}: ${JSON.stringify(v)}`,
  );
  return [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: fn',
    'spec:',
    '  template:',
    ...(annotations.length > 0 ? ['    metadata:', '      annotations:', ...annotations] : []),
    '    spec:',
    ...(options.spec ?? []).map((line) => `      ${line}`),
    '      containers:',
    `        - image: ${options.container ? 'example/own:1' : 'builtin:helloworld'}`,
    ...(options.container ?? []).map((line) => `          ${line}`),
  ].join('\n');
}

function parseError(text: string): string {
  try {
    parseServiceYaml(text, { baseDir, fileName: 'fn.yaml' });
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error('expected the spec to be refused');
}

const A = 'autoscaling.knative.dev/';
const H = 'hivelab.dev/';

describe('parseServiceYaml: annotations', () => {
  const good: [string, string, (s: ReturnType<typeof parseServiceYaml>) => unknown, unknown][] = [
    [`${A}target`, '1', (s) => s.autoscaling.target, 1],
    [`${A}target`, '2.5', (s) => s.autoscaling.target, 2.5],
    [`${A}min-scale`, '2', (s) => s.autoscaling.minScale, 2],
    [`${A}minScale`, '3', (s) => s.autoscaling.minScale, 3],
    [`${A}max-scale`, '10', (s) => s.autoscaling.maxScale, 10],
    [`${A}initial-scale`, '0', (s) => s.autoscaling.initialScale, 0],
    [`${A}activation-scale`, '3', (s) => s.autoscaling.activationScale, 3],
    [`${A}activationScale`, '2', (s) => s.autoscaling.activationScale, 2],
    [`${A}window`, '6s', (s) => s.autoscaling.stableWindowMs, 6000],
    [`${A}window`, '1m30s', (s) => s.autoscaling.stableWindowMs, 90_000],
    [`${A}window`, '1h', (s) => s.autoscaling.stableWindowMs, 3_600_000],
    [`${A}panic-window-percentage`, '20', (s) => s.autoscaling.panicWindowPercentage, 20],
    [`${A}panic-threshold-percentage`, '110', (s) => s.autoscaling.panicThresholdPercentage, 110],
    [`${A}panic-threshold-percentage`, '1000', (s) => s.autoscaling.panicThresholdPercentage, 1000],
    [`${A}scale-down-delay`, '0s', (s) => s.autoscaling.scaleDownDelayMs, 0],
    [`${A}scale-down-delay`, '15m', (s) => s.autoscaling.scaleDownDelayMs, 900_000],
    [`${A}target-utilization-percentage`, '85', (s) => s.autoscaling.targetUtilization, 0.85],
    [`${A}metric`, 'rps', (s) => s.autoscaling.metric, 'rps'],
    [`${A}class`, 'kpa.autoscaling.knative.dev', (s) => s.autoscaling.policy, 'kpa'],
    [`${H}sandbox`, 'worker', (s) => s.sandbox, 'worker'],
    [`${H}cold-start`, 'snapshot', (s) => s.coldStart, 'snapshot'],
    [`${H}cold-start`, 'prewarm', (s) => s.coldStart, 'prewarm'],
    [`${H}autoscaler`, './policies/my.js', (s) => s.autoscaling.policy, '/srv/fns/policies/my.js'],
    [`${H}autoscaler`, 'kpa', (s) => s.autoscaling.policy, 'kpa'],
    [`${H}scale-to-zero-grace-period`, '5s', (s) => s.autoscaling.scaleToZeroGracePeriodMs, 5000],
    [`${H}tick-interval`, '200ms', (s) => s.autoscaling.tickIntervalMs, 200],
    [`${H}pass-env`, 'AWS_REGION', (s) => s.passEnv, ['AWS_REGION']],
    [`${H}pass-env`, ' LD_LIBRARY_PATH, _x1 ,LD_LIBRARY_PATH', (s) => s.passEnv, ['LD_LIBRARY_PATH', '_x1']],
  ];
  it.each(good)('%s: %s is accepted', (key, value, read, expected) => {
    const spec = parseServiceYaml(serviceYaml({ annotations: { [key]: value } }), { baseDir });
    expect(read(spec)).toEqual(expected);
  });

  const bad: [string, string, string][] = [
    [`${A}min-scale`, 'abc', 'expected a non-negative integer, got "abc"'],
    [`${A}min-scale`, '-1', 'expected a non-negative integer, got "-1"'],
    [`${A}max-scale`, '1.5', 'expected a non-negative integer, got "1.5"'],
    [`${A}initial-scale`, 'x', 'expected a non-negative integer'],
    [`${A}activation-scale`, '0', 'expected an integer >= 1, got "0"'],
    [`${A}target`, '0', 'expected a number >= 0.01, got "0"'],
    [`${A}target`, 'lots', 'expected a number >= 0.01'],
    [`${A}window`, '5s', 'expected a duration from 6s to 1h, e.g. "60s", got "5s"'],
    [`${A}window`, '2h', 'expected a duration from 6s to 1h'],
    [`${A}window`, '60', 'expected a duration from 6s to 1h'],
    [`${A}panic-window-percentage`, '0', 'expected a number from 1 to 100'],
    [`${A}panic-window-percentage`, '101', 'expected a number from 1 to 100'],
    [`${A}panic-threshold-percentage`, '100', 'expected a number from 110 to 1000, got "100"'],
    [`${A}panic-threshold-percentage`, '1001', 'expected a number from 110 to 1000'],
    [`${A}scale-down-delay`, '2h', 'expected a duration from 0s to 1h'],
    [`${A}target-utilization-percentage`, '0', 'expected a number from 1 to 100'],
    [`${A}metric`, 'cpu', 'expected "concurrency" or "rps", got "cpu"'],
    [`${A}class`, 'hpa.autoscaling.knative.dev', 'expected "kpa.autoscaling.knative.dev"'],
    [`${A}mni-scale`, '1', 'unknown annotation'],
    [`${H}sandbox`, 'vm', 'expected "process", "worker" or "container", got "vm"'],
    [`${H}cold-start`, 'warm', 'expected "boot", "snapshot" or "prewarm", got "warm"'],
    [`${H}scale-to-zero-grace-period`, 'soon', 'expected a duration from 0s to 1h'],
    [`${H}tick-interval`, '0s', 'expected a positive duration'],
    [`${H}pass-env`, '', 'expected a comma-separated list of environment variable names'],
    [`${H}pass-env`, 'A,,B', 'expected a comma-separated list of environment variable names, e.g.'],
    [`${H}pass-env`, 'A B', 'got "A B"'],
    [`${H}pass-env`, '1ST', 'expected a comma-separated list of environment variable names'],
    [`${H}pass-env`, 'A=1', 'expected a comma-separated list of environment variable names'],
  ];
  it.each(bad)('%s: %s is refused with the field path', (key, value, expected) => {
    const message = parseError(serviceYaml({ annotations: { [key]: value } }));
    expect(message).toContain(`spec.template.metadata.annotations[${JSON.stringify(key)}]: `);
    expect(message).toContain(expected);
    expect(message).toContain('fn.yaml');
  });

  it('refuses min-scale above max-scale and reports every bad annotation at once', () => {
    const message = parseError(
      serviceYaml({ annotations: { [`${A}min-scale`]: '5', [`${A}max-scale`]: '2', [`${H}sandbox`]: 'vm' } }),
    );
    expect(message).toContain('must not exceed max-scale (2)');
    expect(message).toContain(`["${H}sandbox"]`);
  });

  it('applies Knative defaults and derives target from containerConcurrency', () => {
    const unlimited = parseServiceYaml(serviceYaml(), { baseDir });
    expect(unlimited.passEnv).toBeUndefined();
    expect(unlimited.autoscaling).toMatchObject({
      policy: 'kpa',
      target: 100,
      targetUtilization: 0.7,
      stableWindowMs: 60_000,
      panicWindowPercentage: 10,
      panicThresholdPercentage: 200,
      scaleToZeroGracePeriodMs: 30_000,
      tickIntervalMs: 2000,
      initialScale: 1,
      minScale: 0,
      maxScale: 0,
    });
    expect(unlimited.containerConcurrency).toBe(0);
    expect(unlimited.timeoutMs).toBe(300_000);
    const limited = parseServiceYaml(
      serviceYaml({ spec: ['containerConcurrency: 4', 'timeoutSeconds: 7'] }),
      {
        baseDir,
      },
    );
    expect(limited.autoscaling.target).toBe(4);
    expect(limited.containerConcurrency).toBe(4);
    expect(limited.timeoutMs).toBe(7000);
  });
});

describe('parseServiceYaml: containers', () => {
  it('runs a command with relative paths resolved against the YAML folder', () => {
    const spec = parseServiceYaml(
      serviceYaml({
        container: [
          'command: ["./bin/server", "--flag"]',
          'args: ["../data/x.json", "plain.js"]',
          'env:',
          '  - name: GREETING',
          '    value: hi',
          '  - name: COUNT',
          '    value: 3',
          'ports:',
          '  - containerPort: 9000',
          'resources:',
          '  limits:',
          '    memory: 128Mi',
          '    cpu: 500m',
        ],
      }),
      { baseDir, namespace: 'lab' },
    );
    expect(spec.command).toEqual(['/srv/fns/bin/server', '--flag', '/srv/data/x.json', 'plain.js']);
    expect(spec.env).toEqual({ GREETING: 'hi', COUNT: '3' });
    expect(spec.workingDir).toBe('/srv/fns');
    expect(spec.namespace).toBe('lab');
    expect(spec.protocol).toBe('http1');
    expect(spec.handlerModule).toBeUndefined();
    expect(spec.memoryLimitBytes).toBe(128 * 2 ** 20);
    expect(spec.cpuLimitMillicores).toBe(500);
  });

  it.each([
    ['1G', 1e9],
    ['512M', 512e6],
    ['1Gi', 2 ** 30],
    ['64Ki', 65536],
    ['1000', 1000],
  ])('memory %s = %d bytes', (quantity, bytes) => {
    const spec = parseServiceYaml(
      serviceYaml({ container: ['resources:', '  limits:', `    memory: "${quantity}"`] }).replace(
        'image: example/own:1',
        'image: builtin:sleep',
      ),
      { baseDir },
    );
    expect(spec.memoryLimitBytes).toBe(bytes);
  });

  it.each([
    ['1', 1000],
    ['2.5', 2500],
    ['250m', 250],
  ])('cpu %s = %d millicores', (quantity, millicores) => {
    const yaml = serviceYaml({ container: ['resources:', '  limits:', `    cpu: "${quantity}"`] });
    const spec = parseServiceYaml(yaml.replace('image: example/own:1', 'image: builtin:sleep'), { baseDir });
    expect(spec.cpuLimitMillicores).toBe(millicores);
  });

  it.each([
    [
      ['resources:', '  limits:', '    memory: lots'],
      'spec.template.spec.containers[0].resources.limits.memory: expected a Kubernetes quantity',
    ],
    [
      ['resources:', '  limits:', '    cpu: 1.5x'],
      'spec.template.spec.containers[0].resources.limits.cpu: expected a Kubernetes quantity',
    ],
    [['command: []'], 'spec.template.spec.containers[0].command: expected an executable'],
    [
      ['command: "./server"'],
      'spec.template.spec.containers[0].command: expected a list of strings, got "./server"',
    ],
    [
      ['ports:', '  - containerPort: 70000'],
      'spec.template.spec.containers[0].ports[0].containerPort: expected a port number from 1 to 65535, got 70000',
    ],
    [
      ['command: [x]', 'env:', '  - name: A', '    valueFrom: {secretKeyRef: {name: s}}'],
      'spec.template.spec.containers[0].env[0].valueFrom',
    ],
    [
      ['command: [x]', 'env:', '  - name: A', '    value: a', '  - name: K_REVISION', '    value: r'],
      'spec.template.spec.containers[0].env[1].name: K_REVISION is reserved (the platform sets PORT, K_SERVICE, K_CONFIGURATION, K_REVISION)',
    ],
    [['command: [x]', 'env:', '  - name: PORT', '    value: "80"'], 'env[0].name: PORT is reserved'],
  ])('refuses %j', (lines, expected) => {
    expect(parseError(serviceYaml({ container: lines }))).toContain(expected);
  });

  it('refuses an image hivelab cannot run and says what it can run', () => {
    const yaml = serviceYaml().replace('builtin:helloworld', 'docker.io/library/nginx:latest');
    try {
      parseServiceYaml(yaml, { baseDir });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toContain(
        'spec.template.spec.containers[0].image: hivelab cannot run image "docker.io/library/nginx:latest"',
      );
      expect((error as UserError).hint).toContain('builtin:helloworld');
      expect((error as UserError).hint).toContain('command');
    }
  });

  it('maps well-known vSwarm images to built-ins', () => {
    const hello = parseServiceYaml(
      serviceYaml().replace('builtin:helloworld', 'ghcr.io/ease-lab/helloworld:var_workload'),
      { baseDir },
    );
    expect(hello.handlerModule).toBe(builtinModulePath('helloworld'));
    expect(hello.image).toBe('ghcr.io/ease-lab/helloworld:var_workload');
    const aes = parseServiceYaml(
      serviceYaml().replace('builtin:helloworld', 'ghcr.io/ease-lab/pyaes:var_workload'),
      { baseDir },
    );
    expect(aes.handlerModule).toBe(builtinModulePath('aes'));
    expect(aes.command.slice(-1)).toEqual([builtinModulePath('aes')]);
  });

  it('accepts a module: image for an SDK function and allows the worker sandbox for it', () => {
    const yaml = serviceYaml({ annotations: { [`${H}sandbox`]: 'worker' } }).replace(
      'builtin:helloworld',
      'module:./my-fn.js',
    );
    const spec = parseServiceYaml(yaml, { baseDir });
    expect(spec.handlerModule).toBe('/srv/fns/my-fn.js');
    expect(spec.sandbox).toBe('worker');
  });

  it('refuses the worker sandbox for a command', () => {
    const message = parseError(
      serviceYaml({ annotations: { [`${H}sandbox`]: 'worker' }, container: ['command: [node, s.js]'] }),
    );
    expect(message).toContain('needs a JavaScript function module');
  });
});

describe('parseServiceYaml: protocols', () => {
  it('picks h2c for a port named h2c, the built-in default otherwise', () => {
    const withPort = serviceYaml({ container: ['ports:', '  - name: http1', '    containerPort: 8080'] });
    expect(
      parseServiceYaml(withPort.replace('image: example/own:1', 'image: builtin:helloworld'), { baseDir })
        .protocol,
    ).toBe('http1');
    expect(parseServiceYaml(serviceYaml(), { baseDir }).protocol).toBe('h2c');
    expect(
      parseServiceYaml(serviceYaml().replace('builtin:helloworld', 'builtin:sleep'), { baseDir }).protocol,
    ).toBe('http1');
  });

  it('refuses gRPC for a built-in that serves HTTP only', () => {
    const yaml = serviceYaml({ container: ['ports:', '  - name: h2c'] }).replace(
      'image: example/own:1',
      'image: builtin:sleep',
    );
    expect(parseError(yaml)).toContain('serves http1 only, not gRPC');
  });
});

describe('parseServiceYaml: documents and metadata', () => {
  it('takes the Service of a multi-document file', () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n${serviceYaml()}\n---\n`;
    expect(parseServiceYaml(yaml, { baseDir }).name).toBe('fn');
  });

  it.each([
    [
      'apiVersion: v1\nkind: ConfigMap\n',
      'expected exactly one document of kind "Service", found 0 (kinds: ConfigMap)',
    ],
    [`${serviceYaml()}\n---\n${serviceYaml()}`, 'found 2'],
    ['a: [1,', 'YAML syntax'],
    [
      serviceYaml().replace('serving.knative.dev/v1', 'serving.knative.dev/v1alpha1'),
      'apiVersion: expected "serving.knative.dev/v1", got "serving.knative.dev/v1alpha1"',
    ],
    [serviceYaml().replace('  name: fn', '  name: Fn_1'), 'metadata.name: expected lower-case letters'],
    [serviceYaml().replace('  name: fn', '  labels: {}'), 'metadata.name: expected a name, got nothing'],
    [
      serviceYaml({ spec: ['containerConcurrency: -1'] }),
      'spec.template.spec.containerConcurrency: expected a non-negative integer (0 = unlimited), got -1',
    ],
    [
      serviceYaml({ spec: ['timeoutSeconds: "ten"'] }),
      'spec.template.spec.timeoutSeconds: expected a positive integer number of seconds, got "ten"',
    ],
  ])('refuses %#', (yaml, expected) => {
    expect(parseError(yaml)).toContain(expected);
  });

  it('lets options.name override metadata.name (kn service apply NAME)', () => {
    expect(parseServiceYaml(serviceYaml(), { baseDir, name: 'other-3' }).name).toBe('other-3');
  });
});

describe("parseServiceYaml: vHive's own YAML files", () => {
  const read = (name: string): string => readFileSync(path.join(here, 'fixtures', name), 'utf8');

  it.each([
    ['vhive-helloworld.yaml', 'ustiugov/helloworld:var_workload', 'helloworld'],
    ['vhive-pyaes.yaml', 'vhiveease/pyaes:var_workload', 'aes'],
  ])('%s runs its GUEST_IMAGE as a built-in over h2c', (file, image, builtin) => {
    const spec = parseServiceYaml(read(file), { baseDir, name: 'f-0', fileName: file });
    expect(spec).toMatchObject({
      name: 'f-0',
      namespace: 'default',
      image,
      protocol: 'h2c',
      handlerModule: builtinModulePath(builtin),
      sandbox: 'process',
      coldStart: 'boot',
    });
    expect(spec.env.GUEST_PORT).toBe('50051');
  });

  it('vhive-rnn_serving.yaml is refused: no built-in for rnn_serving', () => {
    const message = parseError(read('vhive-rnn_serving.yaml').replace('metadata:', 'metadata:\n  name: rnn'));
    expect(message).toContain(
      'spec.template.spec.containers[0].env[GUEST_IMAGE]: hivelab cannot run image "ustiugov/rnn_serving:var_workload"',
    );
  });
});
