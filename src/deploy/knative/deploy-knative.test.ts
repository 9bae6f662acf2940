import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployToKnative } from './deploy-knative.js';
import { KnativeClient } from './knative-client.js';
import {
  becomesReady,
  kubeconfigYaml,
  startKubeApiServer,
  type KubeApiServer,
  type StatusStep,
} from './testing/kube-api-server.js';

const TOKEN = 'test-token-3';
let dir: string;
let api: KubeApiServer | undefined;

const helloYaml = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: helloworld
spec:
  template:
    metadata:
      annotations:
        hivelab.dev/sandbox: worker
    spec:
      containers:
        - image: builtin:helloworld
`;

async function setup(script?: (name: string) => StatusStep[], watchTimeoutMs?: number) {
  api = await startKubeApiServer({
    token: TOKEN,
    ...(script ? { script } : {}),
    ...(watchTimeoutMs ? { watchTimeoutMs } : {}),
  });
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigYaml(api.url, TOKEN));
  await writeFile(path.join(dir, 'hello.yaml'), helloYaml);
  await writeFile(
    path.join(dir, 'functions.json'),
    JSON.stringify({ functions: [{ name: 'helloworld', file: 'hello.yaml', count: 2 }] }),
  );
  return { client: new KnativeClient({ kubeconfig }), kubeconfig, api };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-knative-'));
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('deployToKnative against a Kubernetes API on loopback', () => {
  it('creates each Service, watches it to Ready and writes endpoints.json from the URLs', async () => {
    // Ready comes only once the deployer watches, so the watch is what sees it.
    const { client, api } = await setup(() => [
      { afterMs: 0, conditions: [{ type: 'Ready', status: 'Unknown', reason: 'RevisionMissing' }] },
      { afterMs: 20, afterWatch: true, url: true, conditions: [{ type: 'Ready', status: 'True' }] },
    ]);
    const lines: string[] = [];
    const result = await deployToKnative({
      jsonFile: path.join(dir, 'functions.json'),
      endpointsFile: path.join(dir, 'endpoints.json'),
      namespace: 'bench',
      client,
      log: (line) => lines.push(line),
    });
    expect(result.urls.sort()).toEqual([
      'http://helloworld-0.bench.example.com',
      'http://helloworld-1.bench.example.com',
    ]);
    expect(JSON.parse(await readFile(path.join(dir, 'endpoints.json'), 'utf8'))).toEqual([
      { hostname: 'helloworld-0.bench.example.com', eventing: false, matchers: null },
      { hostname: 'helloworld-1.bench.example.com', eventing: false, matchers: null },
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'warning: helloworld-0: dropped annotation hivelab.dev/sandbox: "worker" (spec.template.metadata): Knative has no equivalent',
        'deployed helloworld-1: http://helloworld-1.bench.example.com',
      ]),
    );
    const stored = api.services.get('bench/helloworld-0');
    expect(stored?.spec.template.spec.containers[0]).toMatchObject({
      image: 'ghcr.io/ease-lab/helloworld:var_workload',
    });
    const calls = api.requests.map((r) => `${r.method} ${r.path}${r.query.watch ? ' watch' : ''}`);
    expect(calls).toEqual(
      expect.arrayContaining([
        'POST /apis/serving.knative.dev/v1/namespaces/bench/services',
        'GET /apis/serving.knative.dev/v1/namespaces/bench/services/helloworld-0',
        'GET /apis/serving.knative.dev/v1/namespaces/bench/services watch',
      ]),
    );
    const watch = api.requests.find((r) => r.query.watch);
    expect(watch?.query.fieldSelector).toMatch(/^metadata\.name=helloworld-[01]$/);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('deploying again replaces the Services (kn service apply) and waits for the new generation', async () => {
    const { client, api } = await setup();
    const options = {
      jsonFile: path.join(dir, 'functions.json'),
      endpointsFile: path.join(dir, 'e.json'),
      client,
    };
    await deployToKnative(options);
    await deployToKnative(options);
    expect(api.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
    expect(api.services.get('default/helloworld-1')?.metadata.generation).toBe(2);
  });

  it('a Service that never gets Ready fails the deploy with the reason from its conditions', async () => {
    const { client } = await setup((name) =>
      name === 'helloworld-1'
        ? [
            { afterMs: 0, conditions: [{ type: 'Ready', status: 'Unknown', reason: 'RevisionMissing' }] },
            {
              afterMs: 20,
              conditions: [
                {
                  type: 'ConfigurationsReady',
                  status: 'False',
                  reason: 'RevisionFailed',
                  message:
                    'Revision "helloworld-1-00001" failed with message: Unable to fetch image "ghcr.io/ease-lab/helloworld:var_workload": 403 Forbidden.',
                },
                {
                  type: 'Ready',
                  status: 'False',
                  reason: 'RevisionFailed',
                  message:
                    'Revision "helloworld-1-00001" failed with message: Unable to fetch image "ghcr.io/ease-lab/helloworld:var_workload": 403 Forbidden.',
                },
              ],
            },
          ]
        : becomesReady(),
    );
    const endpointsFile = path.join(dir, 'endpoints.json');
    const error = await deployToKnative({
      jsonFile: path.join(dir, 'functions.json'),
      endpointsFile,
      client,
    }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(
      /1 of 2 functions did not become Ready on http:\/\/127\.0\.0\.1:\d+:\n {2}helloworld-1 \(.*hello\.yaml\): helloworld-1 is not Ready: RevisionFailed: Revision "helloworld-1-00001" failed with message: Unable to fetch image/,
    );
    await expect(readFile(endpointsFile)).rejects.toThrow(/ENOENT/);
  });

  it('one that stays Unknown times out naming the last reason, across watches the server ends', async () => {
    const { client } = await setup(
      () => [
        {
          afterMs: 0,
          conditions: [
            { type: 'Ready', status: 'Unknown', reason: 'Deploying', message: 'waiting for pods' },
          ],
        },
      ],
      40,
    );
    const started = Date.now();
    await expect(client.waitReady('default', 'none', { timeoutMs: 50 })).rejects.toThrow(
      /none was deleted|not Ready/,
    );
    const error = await deployToKnative({
      jsonFile: path.join(dir, 'functions.json'),
      client,
      readyTimeoutMs: 300,
      endpointsFile: path.join(dir, 'e.json'),
    }).then(
      () => new Error('deployed'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/helloworld-0 is not Ready after 0 s: Deploying: waiting for pods/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('gets to Ready when the server ends the watch before the Service is ready', async () => {
    // The server ends each watch after 30 ms; Ready comes 100 ms after the first watch.
    const { client, api } = await setup(
      () => [
        { afterMs: 0, conditions: [{ type: 'Ready', status: 'Unknown', reason: 'RevisionMissing' }] },
        { afterMs: 100, afterWatch: true, url: true, conditions: [{ type: 'Ready', status: 'True' }] },
      ],
      30,
    );
    const result = await deployToKnative({
      jsonFile: path.join(dir, 'functions.json'),
      client,
      endpointsFile: path.join(dir, 'e.json'),
      concurrency: 1,
    });
    expect(result.urls).toHaveLength(2);
    const gets = api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/helloworld-0'));
    expect(gets.length).toBeGreaterThanOrEqual(2);
  });

  it('lists and deletes Services; refuses a bad context and an unreachable cluster clearly', async () => {
    const { client, kubeconfig } = await setup();
    await deployToKnative({
      jsonFile: path.join(dir, 'functions.json'),
      client,
      endpointsFile: path.join(dir, 'e.json'),
    });
    expect(
      (await client.list('default', 'app.kubernetes.io/managed-by=hivelab'))
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(['helloworld-0', 'helloworld-1']);
    expect(await client.delete('default', 'helloworld-0')).toBe(true);
    expect(await client.delete('default', 'helloworld-0')).toBe(false);
    expect((await client.list('default')).map((s) => s.metadata.name)).toEqual(['helloworld-1']);
    expect(() => new KnativeClient({ kubeconfig, context: 'nope' })).toThrow(/no context "nope"/);
    const other = new KnativeClient({ kubeconfig, context: 'other' });
    await expect(other.list('default')).rejects.toThrow(
      /error while listing services in default on http:\/\/127\.0\.0\.1:1/,
    );
    await writeFile(kubeconfig, kubeconfigYaml(api!.url, 'wrong-token'));
    await expect(new KnativeClient({ kubeconfig }).list('default')).rejects.toThrow(/401/);
  });

  it('a refused image stops everything before anything is applied', async () => {
    const { client, api } = await setup();
    await writeFile(path.join(dir, 'hello.yaml'), helloYaml.replace('builtin:helloworld', 'builtin:sleep'));
    await expect(deployToKnative({ jsonFile: path.join(dir, 'functions.json'), client })).rejects.toThrow(
      /2 of 2 functions cannot go to Knative/,
    );
    expect(api.requests).toHaveLength(0);
  });
});
