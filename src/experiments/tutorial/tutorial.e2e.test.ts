// `hivelab tutorial --quick` end to end (what the command calls): seed 000's four steps on
// a real collector and platform, the report and its plots written. Instances run the built
// JavaScript: `npm run build` first, as `npm test` does.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Span } from '../../spans/index.js';
import { runTutorial } from './run-tutorial.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('hivelab tutorial --quick', () => {
  it('runs the four steps and writes report.md with its plots', { timeout: 300_000 }, async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-tutorial-'));
    dirs.push(outDir);
    // No wall-time assertion (the machine's load decides it); the report has each step's time.
    const result = await runTutorial({ outDir, quick: true });
    expect(result.steps.map((s) => s.step.n)).toEqual([1, 2, 3, 4]);
    const [one, two, three, four] = result.steps;
    // Step 1: helloworld at 1 rps for 3 s, its first request a cold start.
    expect(one!.runs[0]!.summary).toMatchObject({ issued: 3, completed: 3 });
    expect(one!.runs[0]!.summary.cold).toBeGreaterThanOrEqual(1);
    // Steps 2 and 3: helloworld and pyaes, booted, then restored from snapshots.
    expect(two!.runs[0]!.coldStart).toBe('boot');
    expect(three!.runs[0]!.coldStart).toBe('snapshot');
    for (const step of [two!, three!])
      expect(step.runs[0]!.summary.completed).toBe(step.runs[0]!.summary.issued);
    // Step 4: one trace with recog once, one with recog six times.
    expect(four!.videoTraces.map((t) => [t.frames, t.ok])).toEqual([
      [1, true],
      [6, true],
    ]);
    const recogServed = (spans: Span[]): number =>
      spans.filter((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'recog').length;
    expect(four!.videoTraces.map((t) => recogServed(t.spans))).toEqual([1, 6]);
    const report = await readFile(result.reportPath, 'utf8');
    for (const heading of [
      '## Step 1',
      '## Step 4',
      '## Performance: warm and cold latency per function and mode',
    ])
      expect(report).toContain(heading);
    for (const plot of result.plots) expect((await stat(plot)).size).toBeGreaterThan(500);
    expect(result.plots.filter((p) => p.endsWith('.png'))).toHaveLength(4);
  });
});
