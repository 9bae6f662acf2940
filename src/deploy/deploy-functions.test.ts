/**
 * The deployer round trip against a real platform (gateway, sandboxes, runner): vHive-style
 * functions.json and YAML files in, functions serving and endpoints.json out.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLOWORLD_PROTO_PATH } from '../functions/index.js';
import { PlatformClient, startPlatform } from '../platform/index.js';
import type { FunctionSpec } from '../platform/index.js';
import { deployFunctions } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const examples = path.resolve(here, '..', '..', 'examples');
const fixtures = path.resolve(here, '..', 'platform', 'function-spec', 'fixtures');

type Platform = Awaited<ReturnType<typeof startPlatform>>;
let platform: Platform;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-deploy-'));
  platform = await startPlatform({ port: 0 });
});
afterAll(async () => {
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

function sayHello(gatewayPort: number, authority: string, name: string): Promise<string> {
  const pkg = grpc.loadPackageDefinition(
    protoLoader.loadSync(HELLOWORLD_PROTO_PATH, { keepCase: true }),
  ) as unknown as {
    helloworld: {
      Greeter: new (address: string, credentials: grpc.ChannelCredentials, options: object) => grpc.Client;
    };
  };
  const client = new pkg.helloworld.Greeter(`127.0.0.1:${gatewayPort}`, grpc.credentials.createInsecure(), {
    'grpc.default_authority': authority,
  }) as grpc.Client & {
    SayHello(
      r: { name: string },
      cb: (e: grpc.ServiceError | null, reply: { message: string }) => void,
    ): void;
  };
  return new Promise((resolve, reject) =>
    client.SayHello({ name }, (error, reply) => {
      client.close();
      if (error) reject(error);
      else resolve(reply.message);
    }),
  );
}

function httpGet(
  gatewayPort: number,
  host: string,
  urlPath: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: gatewayPort, path: urlPath, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('deployFunctions round trip', () => {
  it("deploys examples/functions.json (built-in, vHive stub) and writes vHive's endpoints.json", async () => {
    const endpointsFile = path.join(dir, 'endpoints.json');
    const client = new PlatformClient(platform.url);
    const deployed: FunctionSpec[] = [];
    const result = await deployFunctions({
      jsonFile: path.join(examples, 'functions.json'),
      endpointsFile,
      concurrency: 2,
      target: { deploy: (spec) => (deployed.push(spec), client.deploy(spec)) },
    });
    const names = ['helloworld-0', 'pyaes-0', 'pyaes-1'];
    expect(result.functions.map((f) => f.planned.name)).toEqual(names);
    expect(result.functions.every((f) => f.status.readyInstances >= 1)).toBe(true);
    // vHive's deployer passes --concurrency-target 1 to every function.
    expect(deployed.map((spec) => spec.autoscaling.target)).toEqual([1, 1, 1]);
    expect(await readFile(endpointsFile, 'utf8')).toBe(
      `[\n${names
        .map(
          (n) =>
            `\t{\n\t\t"hostname": "${n}.default.localhost",\n\t\t"eventing": false,\n\t\t"matchers": null\n\t}`,
        )
        .join(',\n')}\n]`,
    );
    expect((await client.list()).map((s) => s.name).sort()).toEqual([...names].sort());

    const port = Number(new URL(platform.url).port);
    expect(await sayHello(port, 'helloworld-0.default.localhost', 'deployer')).toBe('Hello, deployer!');
    expect(await sayHello(port, 'pyaes-1.default.localhost', 'abc')).toMatch(/^fn: AES \| plaintext: abc/);
    await client.removeAll();
  });

  it('deploys examples/own-functions.json: an own executable, reached over HTTP', async () => {
    const client = new PlatformClient(platform.url);
    await deployFunctions({
      jsonFile: path.join(examples, 'own-functions.json'),
      endpointsFile: path.join(dir, 'own-endpoints.json'),
      target: { deploy: (spec) => client.deploy(spec) },
    });
    const port = Number(new URL(platform.url).port);
    const own = await httpGet(port, 'own-0.default.localhost', '/hi');
    expect(own).toEqual({ status: 200, body: 'Hello from my own server (GET /hi)\n' });
    await client.removeAll();
  });

  it("deploys vHive's own YAML files from -funcPath into a namespace", async () => {
    const jsonFile = path.join(dir, 'vhive.json');
    for (const name of ['helloworld', 'pyaes'])
      await copyFile(path.join(fixtures, `vhive-${name}.yaml`), path.join(dir, `${name}.yaml`));
    await writeFile(
      jsonFile,
      JSON.stringify({
        functions: [
          { name: 'helloworld', file: 'helloworld.yaml', count: 1 },
          { name: 'pyaes', file: 'pyaes.yaml', count: 1 },
        ],
      }),
    );
    const result = await deployFunctions({
      jsonFile,
      endpointsFile: path.join(dir, 'vhive-endpoints.json'),
      funcPath: dir,
      namespace: 'lab',
      target: new PlatformClient(platform.url),
    });
    expect(result.functions.map((f) => f.planned.hostname)).toEqual([
      'helloworld-0.lab.localhost',
      'pyaes-0.lab.localhost',
    ]);
    const port = Number(new URL(platform.url).port);
    expect(await sayHello(port, 'helloworld-0.lab.localhost', 'vhive')).toBe('Hello, vhive!');
    await new PlatformClient(platform.url).removeAll();
  });

  it('fails loudly, naming the function and the reason, and writes no endpoints.json', async () => {
    await writeFile(
      path.join(dir, 'crash.mjs'),
      "process.stderr.write('cannot start: missing model file\\n'); process.exit(3);\n",
    );
    await writeFile(
      path.join(dir, 'crash.yaml'),
      [
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - command: [node, ./crash.mjs]',
      ].join('\n'),
    );
    const jsonFile = path.join(dir, 'crash.json');
    await writeFile(
      jsonFile,
      JSON.stringify({ functions: [{ name: 'crash', file: 'crash.yaml', count: 1 }] }),
    );
    const endpointsFile = path.join(dir, 'crash-endpoints.json');
    const attempt = deployFunctions({ jsonFile, endpointsFile, target: new PlatformClient(platform.url) });
    await expect(attempt).rejects.toThrow(
      /1 of 1 functions did not deploy:\n {2}crash-0 \(.*crash\.yaml\): /,
    );
    await expect(readFile(endpointsFile)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a bad YAML before deploying anything', async () => {
    await writeFile(
      path.join(dir, 'bad.yaml'),
      'apiVersion: serving.knative.dev/v1\nkind: Service\nspec: {template: {spec: {containers: [{image: nginx}]}}}\n',
    );
    const jsonFile = path.join(dir, 'bad.json');
    await writeFile(
      jsonFile,
      JSON.stringify({
        functions: [
          { name: 'hello', file: path.join(fixtures, 'vhive-helloworld.yaml'), count: 1 },
          { name: 'bad', file: 'bad.yaml', count: 1 },
        ],
      }),
    );
    const deployed: string[] = [];
    await expect(
      deployFunctions({
        jsonFile,
        endpointsFile: path.join(dir, 'bad-endpoints.json'),
        target: { deploy: (spec) => (deployed.push(spec.name), Promise.reject(new Error('unreachable'))) },
      }),
    ).rejects.toThrow(
      /bad\.yaml:\n {2}spec\.template\.spec\.containers\[0\]\.image: hivelab cannot run image "nginx"/,
    );
    expect(deployed).toEqual([]);
  });
});
