import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { serviceCrdValidator } from '../../deploy/testing/index.js';
import { kubeconfigYaml, startKubeApiServer, type KubeApiServer } from '../../deploy/testing/index.js';
import { packageRoot } from '../../package-root.js';

// Runs the built CLI (`npm run build` first, as `npm test` does) against a Kubernetes API
// answered on loopback by this process (no cluster runs on these machines).
const run = promisify(execFile);
const bin = path.join(packageRoot, 'bin', 'hivelab.js');
const functionsJson = path.join(packageRoot, 'examples', 'functions.json');
const TOKEN = 'cli-token';
let api: KubeApiServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  api = await startKubeApiServer({ token: TOKEN, domain: '192.168.1.240.sslip.io' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-knative-cli-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigYaml(api.url, TOKEN));
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hivelab deploy/functions/delete --target knative', () => {
  it('--dry-run prints manifests that validate against the Service CRD, warnings on stderr', async () => {
    const { stdout, stderr } = await run(process.execPath, [
      bin,
      'deploy',
      '--target',
      'knative',
      '--dry-run',
      '-jsonFile',
      functionsJson,
      '-namespace',
      'bench',
    ]);
    const docs = parseAllDocuments(stdout).map((doc) => doc.toJS() as { metadata: { name: string } });
    expect(docs.map((doc) => doc.metadata.name)).toEqual(['helloworld-0', 'pyaes-0', 'pyaes-1']);
    const validate = serviceCrdValidator();
    for (const doc of docs) expect(validate(doc)).toBeUndefined();
    expect(stderr).toContain('warning: helloworld-0: dropped annotation hivelab.dev/sandbox');
    expect(api.requests).toHaveLength(0);
  }, 60_000);

  it('deploys through the Kubernetes API, lists like kn service list, and deletes what it deployed', async () => {
    const endpoints = path.join(dir, 'endpoints.json');
    const deployed = await run(process.execPath, [
      bin,
      'deploy',
      '--target',
      'knative',
      '--kubeconfig',
      kubeconfig,
      '-jsonFile',
      functionsJson,
      '-endpointsFile',
      endpoints,
      '-namespace',
      'bench',
    ]);
    expect(deployed.stdout).toMatch(
      /Deployment finished: 3 functions Ready on http:\/\/127\.0\.0\.1:\d+ \(context test\)/,
    );
    expect(JSON.parse(await readFile(endpoints, 'utf8'))).toEqual(
      ['helloworld-0', 'pyaes-0', 'pyaes-1'].map((name) => ({
        hostname: `${name}.bench.192.168.1.240.sslip.io`,
        eventing: false,
        matchers: null,
      })),
    );
    const listed = await run(process.execPath, [
      bin,
      'functions',
      '--target',
      'knative',
      '--kubeconfig',
      kubeconfig,
      '-n',
      'bench',
    ]);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+URL\s+LATEST\s+AGE\s+CONDITIONS\s+READY\s+REASON$/);
    expect(lines[1]).toMatch(
      /^helloworld-0\s+http:\/\/helloworld-0\.bench\.192\.168\.1\.240\.sslip\.io\s+helloworld-0-00001\s+\d+s\s+3 OK \/ 3\s+True$/,
    );
    const deleted = await run(process.execPath, [
      bin,
      'delete',
      '--target',
      'knative',
      '--kubeconfig',
      kubeconfig,
      '-n',
      'bench',
      '--all',
    ]);
    expect(deleted.stdout).toContain('Deleted 3 services hivelab deployed in namespace bench.');
    expect(api.services.size).toBe(0);
  }, 120_000);

  it('refuses an unknown target and a missing kubeconfig clearly', async () => {
    const bad = await run(process.execPath, [bin, 'functions', '--target', 'k8s']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('invalid --target "k8s": expected local or knative'),
    });
    const missing = await run(process.execPath, [
      bin,
      'functions',
      '--target',
      'knative',
      '--kubeconfig',
      path.join(dir, 'nope'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('error while reading the kubeconfig'),
    });
  });
});
