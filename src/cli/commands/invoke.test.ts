import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGreeterServer, type LoopbackServer } from '../../invoker/testing/index.js';
import { packageRoot } from '../../package-root.js';

// Runs the built CLI (`npx tsc -p tsconfig.json` first, as `npm test` does).
const run = promisify(execFile);
const bin = path.join(packageRoot, 'bin', 'hivelab.js');
let server: LoopbackServer;
let dir: string;

beforeAll(async () => {
  server = await startGreeterServer({ responseHeaders: { 'x-hivelab-cold': '0' } });
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-invoke-'));
  await writeFile(
    path.join(dir, 'endpoints.json'),
    JSON.stringify([
      { hostname: 'helloworld-0.default.localhost', eventing: false, matchers: null },
      { hostname: 'helloworld-1.default.localhost', eventing: false, matchers: null },
    ]),
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hivelab invoke (built CLI, vHive flags)', () => {
  it('--plot writes the latency CDF as PNG or SVG, and refuses another extension', async () => {
    // Its own folder: the other tests look for the one latency file of theirs.
    const plotDir = await mkdtemp(path.join(dir, 'plot-'));
    await writeFile(path.join(plotDir, 'endpoints.json'), await readFile(path.join(dir, 'endpoints.json')));
    const args = [
      'invoke',
      '-endpointsFile',
      'endpoints.json',
      '-rps',
      '10',
      '-time',
      '1',
      '-port',
      String(server.port),
    ];
    await run(process.execPath, [bin, ...args, '--plot', 'cdf.png'], { cwd: plotDir });
    const png = await readFile(path.join(plotDir, 'cdf.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(5000);
    await run(process.execPath, [bin, ...args, '--plot', 'cdf.svg'], { cwd: plotDir });
    const svg = await readFile(path.join(plotDir, 'cdf.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('Latency CDF');
    const refused = await run(process.execPath, [bin, ...args, '--plot', 'cdf.pdf'], { cwd: plotDir }).catch(
      (e: { stderr: string }) => e,
    );
    expect(refused.stderr).toContain('expected a file name ending in .svg or .png');
  }, 120_000);

  it('runs against a loopback gRPC server and writes vHive, CSV and JSON outputs', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        bin,
        'invoke',
        '-endpointsFile',
        'endpoints.json',
        '-rps',
        '20',
        '-time',
        '1',
        '-port',
        String(server.port),
        '-latf',
        'lat.csv',
        '-seed',
        '1',
      ],
      { cwd: dir },
    );
    expect(stdout).toMatch(/^Issued \/ completed requests: 20, 20$/m);
    expect(stdout).toMatch(/^Real \/ target RPS: \d+\.\d\d \/ 20$/m);
    const files = await readdir(dir);
    const latFile = files.find((f) => /^rps\d+\.\d\d_lat\.csv$/.test(f));
    expect(latFile).toBeDefined();
    const lines = (await readFile(path.join(dir, latFile!), 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(20);
    for (const line of lines) expect(line).toMatch(/^\d+$/);
    const rows = (await readFile(path.join(dir, latFile!.replace(/\.csv$/, '.requests.csv')), 'utf8'))
      .trimEnd()
      .split('\n');
    expect(rows.length).toBe(21);
    expect(rows[1]).toMatch(/^0,helloworld-0\.default\.localhost,\d+,\d+,\d+,\d+,\d+,1,OK,,0,,,$/);
    expect(server.received.length).toBeGreaterThanOrEqual(20);
  });

  it('prints a JSON summary with --json', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        bin,
        'invoke',
        '-rps',
        '10',
        '-time',
        '0.5',
        '-port',
        String(server.port),
        '--json',
        '--iat',
        'exponential',
        '--seed',
        '7',
      ],
      { cwd: dir },
    );
    const summary = JSON.parse(stdout) as {
      issued: number;
      completed: number;
      seed: number;
      files: { latencies: string };
    };
    expect(summary.seed).toBe(7);
    expect(summary.completed).toBe(summary.issued);
    expect(summary.files.latencies).toMatch(/^rps\d+\.\d\d_lat\.csv$/);
  });

  /** Runs `hivelab invoke` expecting it to fail; its exit code and stderr. */
  const failingInvoke = (args: string[]): Promise<{ code: number; stderr: string } | undefined> =>
    run(process.execPath, [bin, 'invoke', ...args, '-port', String(server.port)], { cwd: dir }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

  it('refuses a bad flag naming it and the expected form', async () => {
    const failure = await failingInvoke(['-rps', 'fast']);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/invalid -rps "fast": expected a number of requests per second/);
  });

  it('refuses an unknown --pacer, naming the choices', async () => {
    const failure = await failingInvoke(['--pacer', 'busy']);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/pacer "busy": expected spin or thread/);
  });
});
