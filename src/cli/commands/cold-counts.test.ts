/**
 * The cold counts of one run, as a user reads them, agree: `hivelab invoke`'s "cold requests
 * (waited for an instance start)" equals COLD-REQUESTS in `hivelab functions`, and
 * COLD-STARTS (instance starts) equals the instances that answered, counted from the
 * invoker's own per-request rows. Built CLI against a real platform; a burst at a function
 * scaled to zero, so several requests wait for the same start (how many depends on the
 * machine's speed; the equalities do not).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../package-root.js';
import { builtinFunctionSpec, defaultAutoscaling, startPlatform } from '../../platform/index.js';

const run = promisify(execFile);
const bin = path.join(packageRoot, 'bin', 'hivelab.js');

let platform: Awaited<ReturnType<typeof startPlatform>>;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-cold-counts-'));
  platform = await startPlatform({ port: 0 });
});
afterAll(async () => {
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

/** The cells of `name`'s row in the `hivelab functions` table, by header. */
function tableRow(table: string, name: string): Record<string, string> {
  const [header, ...rows] = table.trimEnd().split('\n');
  const headers = header!.trim().split(/\s{2,}/);
  const row = rows.find((r) => r.startsWith(`${name} `));
  if (!row) throw new Error(`no row for ${name} in:\n${table}`);
  const cells = row.trim().split(/\s{2,}/);
  return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
}

describe('cold counts of one run', () => {
  it(
    'invoke and functions agree: requests that waited for a start vs instance starts',
    { timeout: 120_000 },
    async () => {
      await platform.deploy(
        builtinFunctionSpec('builtin:helloworld', 'coldcount', {
          autoscaling: { ...defaultAutoscaling(0), initialScale: 0 },
        }),
      );
      await writeFile(
        path.join(dir, 'endpoints.json'),
        JSON.stringify([{ hostname: 'coldcount.default.localhost', eventing: false, matchers: null }]),
      );
      const invoked = await run(
        process.execPath,
        [
          bin,
          'invoke',
          '-endpointsFile',
          'endpoints.json',
          '-rps',
          '40',
          '-time',
          '1',
          '-port',
          new URL(platform.url).port,
          '-latf',
          'lat.csv',
        ],
        { cwd: dir },
      );
      expect(invoked.stdout).toMatch(/^Issued \/ completed requests: 40, 40$/m);
      const coldRequests = Number(
        /cold requests \(waited for an instance start\) (\d+)/.exec(invoked.stdout)?.[1],
      );
      const listed = await run(process.execPath, [bin, 'functions', '--gateway', platform.url]);
      const row = tableRow(listed.stdout, 'coldcount');

      // The first request found the function at zero: it, at least, waited for the start.
      expect(coldRequests).toBeGreaterThanOrEqual(1);
      expect(Number(row['COLD-REQUESTS'])).toBe(coldRequests);
      // Instance starts, counted by the platform, against the instances the invoker saw answer.
      const requestsCsv = (await readdir(dir)).find((f) => f.endsWith('_lat.requests.csv'))!;
      const lines = (await readFile(path.join(dir, requestsCsv), 'utf8')).trimEnd().split('\n');
      const columns = lines[0]!.split(',');
      const at = (name: string): number => columns.indexOf(name);
      const rows = lines.slice(1).map((line) => line.split(','));
      const instances = new Set(rows.map((r) => r[at('instance_id')]));
      expect(Number(row['COLD-STARTS'])).toBe(instances.size);
      // Each cold row is one of the requests the platform counted as waiting for a start.
      expect(rows.filter((r) => r[at('cold')] === '1').length).toBe(coldRequests);
      await platform.remove('default', 'coldcount');
    },
  );
});
