import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import type { FunctionStatus } from '../platform/index.js';
import type { FunctionSpec } from '../platform/index.js';
import { applyManifests, loadManifests, servicesOfManifest, substituteEnv } from './apply-manifests.js';

// vSwarm's decoder manifest as issue 13 quotes it (knative_yamls/inline).
const DECODER = `
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: decoder
  namespace: default
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/minScale: "1"
        autoscaling.knative.dev/maxScale: "1"
    spec:
      containerConcurrency: 1
      containers:
        - image: docker.io/vhiveease/video-analytics-decoder:latest
          imagePullPolicy: Always
          args: ["-addr", "recog.default.svc.cluster.local:80"]
          env:
            - name: TRANSFER_TYPE
              value: "INLINE"
            - name: DecoderFrames
              value: "6"
            - name: CONCURRENT_RECOG
              value: "false"
            - name: ENABLE_TRACING
              value: "false"
            - name: AWS_ACCESS_KEY
              value: \${AWS_ACCESS_KEY}
          ports:
            - name: h2c
              containerPort: 80
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-apply-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('applying Knative manifests', () => {
  it("deploys vSwarm's decoder as written: image mapped, old annotation spellings, args, env", () => {
    const [spec] = servicesOfManifest(substituteEnv(DECODER, {}), 'decoder.yaml');
    expect(spec?.name).toBe('decoder');
    expect(spec?.handlerModule).toMatch(/functions[/\\]video-analytics[/\\]decoder\.js$/);
    expect(spec?.protocol).toBe('h2c');
    expect(spec?.autoscaling.minScale).toBe(1);
    expect(spec?.autoscaling.maxScale).toBe(1);
    expect(spec?.containerConcurrency).toBe(1);
    expect(JSON.parse(spec?.env.HIVELAB_CONTAINER_ARGS ?? '[]')).toEqual([
      '-addr',
      'recog.default.svc.cluster.local:80',
    ]);
    expect(spec?.env).toMatchObject({
      DecoderFrames: '6',
      CONCURRENT_RECOG: 'false',
      TRANSFER_TYPE: 'INLINE',
      AWS_ACCESS_KEY: '',
    });
  });

  it('substitutes ${VAR} as envsubst does and leaves $(VAR) alone', () => {
    expect(substituteEnv('a ${X} b ${Y} $(Z) $W', { X: '1' })).toBe('a 1 b  $(Z) $W');
  });

  it('reads folders (yaml files, sorted) and multi-document files; refuses a name defined twice', async () => {
    const two = `${DECODER}\n---\n${DECODER.replace('name: decoder', 'name: decoder-b')}\n---\nkind: ConfigMap\n`;
    await writeFile(path.join(dir, 'b.yaml'), two);
    await writeFile(path.join(dir, 'notes.txt'), 'not a manifest');
    const services = await loadManifests([dir], { env: { AWS_ACCESS_KEY: 'k' } });
    expect(services.map((s) => s.spec.name)).toEqual(['decoder', 'decoder-b']);
    expect(services[0]?.spec.env.AWS_ACCESS_KEY).toBe('k');
    await expect(loadManifests([dir, path.join(dir, 'b.yaml')])).rejects.toThrow(/defined twice/);
    await expect(loadManifests([path.join(dir, 'missing.yaml')])).rejects.toThrow(/error while reading/);
  });

  it('deploys every Service and lists the ones that failed', async () => {
    const services = await loadManifests([path.join(packageRoot, 'examples', 'video-analytics', 'inline')], {
      env: {},
    });
    const deployed: string[] = [];
    const target = {
      deploy(spec: FunctionSpec): Promise<FunctionStatus> {
        if (spec.name === 'recog') return Promise.reject(new Error('no room'));
        deployed.push(spec.name);
        return Promise.resolve({ readyInstances: 1 } as FunctionStatus);
      },
    };
    await expect(applyManifests(services, target)).rejects.toThrow(
      /1 of 3 services did not deploy:\n {2}recog .*no room/,
    );
    expect(deployed.sort()).toEqual(['decoder', 'streaming']);
  });
});
