// `hivelab fault set|list|clear` against a real platform, found through a lab file as
// `hivelab up` writes it (HIVELAB_LAB_FILE), with no --gateway flag.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../package-root.js';
import { builtinFunctionSpec, startPlatform, type RunningPlatform } from '../../platform/index.js';

let platform: RunningPlatform;
let dir: string;
let labFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-fault-cli-'));
  platform = await startPlatform({ port: 0 });
  await platform.deploy(builtinFunctionSpec('builtin:sleep', 'geo'));
  labFile = path.join(dir, 'lab.json');
  // As `hivelab up` writes it; this process stands in for `up` (the file names a live pid).
  await writeFile(labFile, JSON.stringify({ pid: process.pid, gatewayUrl: platform.url }));
}, 60_000);
afterAll(async () => {
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the built CLI (`npm run build` first, as `npm test` does); its exit code and output. */
function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(packageRoot, 'bin', 'hivelab.js'), ...argv],
      { env: { ...process.env, HIVELAB_LAB_FILE: labFile, HIVELAB_GATEWAY_URL: '' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout.trimEnd(), err: stderr }),
    );
  });
}

describe('hivelab fault', () => {
  it('sets, lists and clears a fault on the lab it finds', { timeout: 120_000 }, async () => {
    expect(await cli('fault', 'set', 'geo', 'delay=50ms,share=0.1')).toMatchObject({
      code: 0,
      out: 'fault set on default/geo: delay=50ms,share=0.1',
    });
    const listed = await cli('fault', 'list');
    expect(listed.out).toMatch(
      /^FUNCTION\s+SPEC\s+SOURCE\s+SINCE\s+INJECTIONS\ndefault\/geo\s+delay=50ms,share=0.1\s+api\s+\S+Z\s+0$/,
    );
    expect(platform.faults.spec('default/geo')).toEqual({ order: { delayMs: 50 }, share: 0.1 });
    expect((await cli('fault', 'clear', 'geo')).out).toBe('fault cleared on default/geo');
    expect((await cli('fault', 'clear', 'geo')).out).toBe('no fault was set on default/geo');
    expect((await cli('fault', 'list')).out).toBe('No faults set.');
  });

  it('refuses a bad spec or an unknown function with the reason', { timeout: 120_000 }, async () => {
    const bad = await cli('fault', 'set', 'geo', 'delay=soon');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('invalid fault spec "delay=soon": delay: expected a duration like 50ms or 1s');
    const unknown = await cli('fault', 'set', 'nowhere', 'error');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no function default/nowhere: deploy it first');
    expect((await cli('fault', 'clear')).err).toContain('fault clear: give a function NAME or --all');
  });
});
