/**
 * The library API as a user gets it: a script that imports the package by its name
 * (`hivelab`, the self-reference through package.json `exports`, so the build under dist/)
 * and drives the calls the CLI commands are made of. Needs the build (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from './package-root.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-library-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `source` as an ES module whose imports resolve from the package root. */
function runScript(source: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: packageRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the library API, imported as 'hivelab'", () => {
  it('exports each call by name', () => {
    const { status, stdout, stderr } = runScript(`
      import * as hivelab from 'hivelab';
      console.log(JSON.stringify(Object.keys(hivelab).sort()));
    `);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(
      expect.arrayContaining([
        'startCollector',
        'startPlatform',
        'deployFunctions',
        'invoke',
        'runSchedule',
        'runReplay',
        'simulateScaling',
        'compareScaling',
        'openTraceStore',
      ]),
    );
  });

  it('stores, collects, runs a platform, deploys, invokes, and simulates scaling', () => {
    const functionsJson = path.join(dir, 'functions.json');
    writeFileSync(
      functionsJson,
      JSON.stringify({
        functions: [
          { name: 'helloworld', file: path.join(packageRoot, 'examples', 'helloworld.yaml'), count: 1 },
        ],
      }),
    );
    const { status, stdout, stderr } = runScript(`
      import {
        openTraceStore, startCollector, startPlatform, deployFunctions, readEndpointsFile, invoke,
        simulateScaling, compareScaling, parseLoadProfileCsv, formatSimulationCsv, kpaPolicy, defaultAutoscaling,
      } from 'hivelab';
      const out = {};
      const store = await openTraceStore({ kind: 'memory' });
      const collector = await startCollector({ port: 0, otlpPort: null, store, log: () => {} });
      const span = { traceId: 'a'.repeat(32), id: 'b'.repeat(16), name: 'get', timestamp: Date.now() * 1000, duration: 5, localEndpoint: { serviceName: 'lib' } };
      const posted = await fetch(collector.url + '/api/v2/spans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([span]) });
      out.ingest = posted.status;
      out.trace = (await (await fetch(collector.url + '/api/v2/trace/' + 'a'.repeat(32))).json()).length;
      const platform = await startPlatform({ port: 0 });
      try {
        const deployed = await deployFunctions({
          jsonFile: ${JSON.stringify(functionsJson)},
          endpointsFile: ${JSON.stringify(path.join(dir, 'endpoints.json'))},
          target: platform.client,
        });
        out.deployed = deployed.functions.map((f) => f.status.readyInstances);
        const endpoints = await readEndpointsFile(deployed.endpointsFile);
        const run = await invoke({ endpoints, rps: 10, durationS: 1, port: Number(new URL(platform.url).port), timeoutMs: 10000, seed: 1 });
        out.invoked = { issued: run.summary.issued, completed: run.summary.completed };
      } finally {
        await platform.close();
        await collector.close();
      }
      const profile = parseLoadProfileCsv('time_ms,concurrency\\n0,0\\n2000,30\\n4000,30\\n');
      const settings = { ...defaultAutoscaling(10), initialScale: 0 };
      out.peakDesired = Math.max(...simulateScaling(kpaPolicy, settings, profile).steps.map((s) => s.desired));
      out.csv = formatSimulationCsv(compareScaling([kpaPolicy], settings, profile)).split('\\n')[0];
      console.log(JSON.stringify(out));
    `);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out).toMatchObject({
      ingest: 202,
      trace: 1,
      deployed: [1],
      invoked: { issued: 10, completed: 10 },
      peakDesired: 3,
    });
    expect(out.csv).toMatch(/^time_ms,/);
  });
});
