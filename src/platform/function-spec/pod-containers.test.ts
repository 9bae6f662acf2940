import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { builtinModulePath, parseServiceYaml } from './index.js';

/** vSwarm's kn-aes-python.yaml, as the container sandbox reads it. */
const AES_PYTHON = `
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: aes-python
  namespace: default
spec:
  template:
    metadata:
      annotations:
        hivelab.dev/sandbox: container
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
        - image: oci:./images/aes:py
          args: ["--addr=0.0.0.0", "--port=50051"]
          env:
            - { name: A, value: a }
            - { name: B, value: "$(A)-b" }
`;

function parseError(text: string): string {
  try {
    parseServiceYaml(text, { baseDir: '/srv', fileName: 'kn.yaml' });
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error('expected a UserError');
}

describe('parseServiceYaml: pods of several containers (Knative rules)', () => {
  it('reads a relay + function pod for the container sandbox: serving container first, its port, file images absolute', () => {
    const spec = parseServiceYaml(AES_PYTHON, { baseDir: '/srv', fileName: 'kn.yaml' });
    expect(spec).toMatchObject({ sandbox: 'container', protocol: 'h2c', containerPort: 50000 });
    expect(spec.containers).toEqual([
      {
        name: 'user-container',
        image: 'docker.io/vhiveease/relay:latest',
        builtin: builtinModulePath('relay'),
        args: [
          '--addr=0.0.0.0:50000',
          '--function-endpoint-url=0.0.0.0',
          '--function-endpoint-port=50051',
          '--function-name=aes-python',
        ],
        env: {},
      },
      {
        name: 'container-1',
        image: 'oci:/srv/images/aes:py',
        args: ['--addr=0.0.0.0', '--port=50051'],
        env: { A: 'a', B: '$(A)-b' },
      },
    ]);
  });

  it('refuses a pod where no container or two declare ports', () => {
    const none = AES_PYTHON.replace(/\n\s+ports:\n\s+- name: h2c\n\s+containerPort: 50000/, '');
    expect(parseError(none)).toContain(
      'spec.template.spec.containers: expected exactly one container with ports (the one that serves) among 2, got 0',
    );
    const two = AES_PYTHON.replace(
      '          args: ["--addr=0.0.0.0", "--port=50051"]',
      '          args: ["--addr=0.0.0.0", "--port=50051"]\n          ports: [{ containerPort: 50051 }]',
    );
    expect(parseError(two)).toContain('among 2, got 2 (containers 0, 1)');
  });

  it('says a pod of several containers needs the container sandbox', () => {
    expect(
      parseError(AES_PYTHON.replace('hivelab.dev/sandbox: container', 'hivelab.dev/sandbox: process')),
    ).toContain('2 containers in one pod need hivelab.dev/sandbox: container (the process sandbox runs one)');
  });

  it('expands $(VAR) in env values from the entries before, for the process sandbox', () => {
    const spec = parseServiceYaml(
      [
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'metadata: { name: fn }',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - command: [./server, "--port=$(PORT)"]',
        '          env:',
        '            - { name: A, value: a }',
        '            - { name: B, value: "$(A)/$$(A)/$(Z)" }',
      ].join('\n'),
      { baseDir: '/srv' },
    );
    expect(spec.env).toEqual({ A: 'a', B: 'a/$(A)/$(Z)' });
    // $(PORT) waits for the launch, which knows the port.
    expect(spec.command).toEqual(['/srv/server', '--port=$(PORT)']);
  });
});
