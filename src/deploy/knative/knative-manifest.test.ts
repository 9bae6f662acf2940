import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { knativeManifest } from './knative-manifest.js';
import { serviceCrdValidator } from './testing/crd-validator.js';

const validate = serviceCrdValidator();
const example = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url)), 'utf8');
const options = { name: 'helloworld-0', namespace: 'bench', fileName: 'helloworld.yaml' };

const vswarmAes = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: aes-python
  namespace: default
  labels:
    app: aes
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1"
    spec:
      containers:
        - image: docker.io/vhiveease/relay:latest
          ports:
            - name: h2c
              containerPort: 50000
          args:
            - --addr=0.0.0.0:50000
            - --function-endpoint-url=0.0.0.0
            - --function-endpoint-port=50051
            - --function-name=aes-python
        - image: docker.io/vhiveease/aes-python:latest
          args:
            - --addr=0.0.0.0:50051
`;

describe('knativeManifest', () => {
  it('maps builtin:helloworld to vSwarm helloworld, drops hivelab.dev annotations with a warning, sets target 1', () => {
    const { manifest, warnings } = knativeManifest(example('helloworld.yaml'), options);
    expect(manifest.metadata).toEqual({
      name: 'helloworld-0',
      namespace: 'bench',
      labels: { 'app.kubernetes.io/managed-by': 'hivelab' },
    });
    expect(manifest.spec.template.spec.containers[0]).toMatchObject({
      image: 'ghcr.io/ease-lab/helloworld:var_workload',
      ports: [{ name: 'h2c', containerPort: 50051 }],
    });
    expect(manifest.spec.template.metadata?.annotations).toEqual({
      'autoscaling.knative.dev/target': '1',
      'autoscaling.knative.dev/min-scale': '0',
      'autoscaling.knative.dev/max-scale': '10',
      'autoscaling.knative.dev/window': '60s',
    });
    expect(warnings).toEqual([
      'helloworld-0: dropped annotation hivelab.dev/sandbox: "process" (spec.template.metadata): Knative has no equivalent',
      'helloworld-0: dropped annotation hivelab.dev/cold-start: "boot" (spec.template.metadata): Knative has no equivalent',
    ]);
    expect(validate(manifest)).toBeUndefined();
  });

  it.each([['helloworld.yaml'], ['pyaes-vhive.yaml'], ['own-executable.yaml']])(
    'the manifest of examples/%s validates against the Service CRD schema',
    (file) => {
      const { manifest } = knativeManifest(example(file), { ...options, fileName: file });
      expect(validate(manifest)).toBeUndefined();
    },
  );

  it('keeps a vSwarm relay pair as written (real images, both containers), only name, namespace, label and target change', () => {
    const { manifest, warnings } = knativeManifest(vswarmAes, {
      ...options,
      name: 'aes-python-0',
      concurrencyTarget: null,
    });
    expect(warnings).toEqual([]);
    expect(manifest.metadata.labels).toEqual({ app: 'aes', 'app.kubernetes.io/managed-by': 'hivelab' });
    expect(manifest.spec.template.metadata?.annotations).toEqual({
      'autoscaling.knative.dev/min-scale': '1',
    });
    expect(manifest.spec.template.spec.containers.map((c) => c.image)).toEqual([
      'docker.io/vhiveease/relay:latest',
      'docker.io/vhiveease/aes-python:latest',
    ]);
    expect(manifest.spec.template.spec.containers[1]!.ports).toBeUndefined();
    expect(validate(manifest)).toBeUndefined();
  });

  it('the validator is not a rubber stamp: a bad manifest fails it', () => {
    const { manifest } = knativeManifest(example('helloworld.yaml'), options);
    const broken = structuredClone(manifest) as unknown as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    broken.spec.template.spec.containerConcurrency = 'many';
    broken.spec.template.spec.containers = 'one';
    expect(validate(broken)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/containerConcurrency/),
        expect.stringMatching(/containers/),
      ]),
    );
  });

  it.each([
    ['builtin:sleep', /builtin:sleep" is a hivelab built-in with no vSwarm image/],
    ['module:./fn.js', /module:\.\/fn\.js" is a hivelab module, which runs only on the local platform/],
  ])('refuses %s with a clear message', (image, message) => {
    const yaml = example('helloworld.yaml').replace('builtin:helloworld', image);
    expect(() => knativeManifest(yaml, options)).toThrow(message);
  });

  it('refuses a local command with no image, and a file that is not a Knative Service', () => {
    const commandOnly = example('own-executable.yaml').replace(
      /^\s+- image: example\/own-server.*\n\s+command:/m,
      '        - command:',
    );
    expect(() => knativeManifest(commandOnly, options)).toThrow(/Knative needs an image/);
    expect(() => knativeManifest('apiVersion: v1\nkind: Pod\n', options)).toThrow(
      /expected a Knative Service/,
    );
    expect(() => knativeManifest('a: [', options)).toThrow(/error while reading helloworld\.yaml/);
  });
});
