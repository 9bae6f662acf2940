/**
 * Web UI benchmark in headless Chromium (Debian's, through playwright-core):
 * `npm run bench -- ui [--runs N]` (needs `npm run build`: the collector serves dist/ui).
 *
 * 1. The 10 000-span trace page: navigation → root row shown and a scroll answered (goal < 1 s).
 * 2. Expand/collapse of the root and of a mid-level span: click → DOM updated and painted
 *    (goal < 100 ms).
 * 3. Scrolling the 10 000 rows: 240 frames of 400 px each, the longest frame (goal < 50 ms).
 * 4. A search answering 1 000 traces (8 000 spans): navigation → 1 000 results listed
 *    (goal < 300 ms), and the rendering alone (answer received → rows painted).
 * Beside ours, the bare limit in the same run: for the trace, a plain page that fetches the
 * same trace, parses it and shows its first 40 rows as plain divs (no tree, no timeline);
 * for the search, fetch + JSON.parse of the same answer in the page with no rendering.
 * No peer UI runs here (Jaeger UI is not packaged on npm); its published figure is
 * ~250 ms for an 11 500-span trace (jaeger-ui PR #574).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startCollector } from '../src/collector/index.js';
import { launchBrowser } from '../ui/testing/browser.js';
import { hotelTrace, postSpans, wideTrace } from '../ui/testing/seed-traces.js';

// The page-side code below runs in Chromium; bench/ has no DOM types, so these few
// declarations (module-scoped) describe what it touches.
interface PageElement {
  scrollTop: number;
  scrollHeight: number;
  textContent: string | null;
  click(): void;
}
type HTMLElement = PageElement;
type PerformanceResourceTiming = { responseEnd: number };
declare const document: {
  querySelector<T = PageElement>(selector: string): T | null;
  querySelectorAll(selector: string): { length: number };
  createElement(tag: string): PageElement & { style: { cssText: string } };
  body: { replaceChildren(...nodes: unknown[]): void };
};
declare function requestAnimationFrame(callback: (time: number) => void): number;

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] ?? 5) || 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** ms from navigation start until `ready` resolves in the page. */
async function navigationMs(page: Page, url: string, ready: (p: Page) => Promise<void>): Promise<number> {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  await ready(page);
  return page.evaluate(() => performance.now());
}

/**
 * Clicks the element, lets Preact render (its renders run in a microtask after the event)
 * and waits for the next frame to be painted; ms in the page, and the rows shown after.
 */
async function clickToPaint(page: Page, selector: string): Promise<{ ms: number; rows: number }> {
  return page.evaluate(async (selector) => {
    const target = document.querySelector<HTMLElement>(selector)!;
    const t0 = performance.now();
    target.click();
    await new Promise((r) => setTimeout(r, 0));
    const rows = document.querySelectorAll('.tl-row').length;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { ms: performance.now() - t0, rows };
  }, selector);
}

function expectRows(what: string, rows: number, ok: (n: number) => boolean): void {
  if (!ok(rows)) throw new Error(`${what}: ${rows} rows shown after the click`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-ui-bench-'));
  const collector = await startCollector({ port: 0, otlpPort: null, dataDir, log: () => {} });
  const browser = await launchBrowser();
  try {
    const nowUs = Date.now() * 1000;
    const big = wideTrace(nowUs - 60_000_000, 10_000);
    await postSpans(collector.url, big);
    const hotels = Array.from({ length: 1000 }, (_, i) => hotelTrace(nowUs - (i + 1) * 20_000));
    for (let i = 0; i < hotels.length; i += 100)
      await postSpans(collector.url, hotels.slice(i, i + 100).flat());
    const expected = big.length + hotels.length * 8;
    while ((await collector.store.stats()).spanCount < expected) await new Promise((r) => setTimeout(r, 100));
    const page = await browser.newPage();
    const traceUrl = `${collector.url}/trace/${big[0]!.traceId}`;
    const searchUrl = `${collector.url}/search?service=frontend&lookback=1h&limit=1000`;
    const apiUrl = `/api/v2/traces?serviceName=frontend&lookback=3600000&limit=1000&endTs=${Date.now() + 60_000}`;

    const open: number[] = [];
    const bare: number[] = [];
    const collapseRoot: number[] = [];
    const expandRoot: number[] = [];
    const collapseMid: number[] = [];
    const longestFrame: number[] = [];
    const searchNav: number[] = [];
    const searchRender: number[] = [];
    const parseOnly: number[] = [];
    for (let run = 0; run < runs; run++) {
      bare.push(
        await navigationMs(page, `${collector.url}/health`, async (p) => {
          await p.waitForLoadState('load');
          // A plain page's floor: the same trace fetched, parsed, 40 rows as plain divs, painted.
          await p.evaluate(async (api) => {
            const spans = (await (await fetch(api)).json()) as { name?: string; duration?: number }[];
            const rows = spans.slice(0, 40).map((s) => {
              const div = document.createElement('div');
              div.textContent = `${s.name ?? ''} ${s.duration ?? 0}`;
              div.style.cssText = 'height:24px';
              return div;
            });
            document.body.replaceChildren(...rows);
            await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          }, `/api/v2/trace/${big[0]!.traceId}`);
        }),
      );
      open.push(
        await navigationMs(page, traceUrl, async (p) => {
          await p.waitForSelector('.tl-row[data-depth="0"]');
          // Interactive: a scroll is answered with new rows.
          await p.evaluate(async () => {
            const el = document.querySelector<HTMLElement>('[data-testid=timeline-scroll]')!;
            el.scrollTop = 2400;
            while (!document.querySelector('.tl-row[data-depth="3"]'))
              await new Promise((r) => requestAnimationFrame(r));
            el.scrollTop = 0;
            while (!document.querySelector('.tl-row[data-depth="0"]'))
              await new Promise((r) => requestAnimationFrame(r));
          });
        }),
      );
      const rootToggle = '.tl-row[data-depth="0"] button.toggle';
      const collapsed = await clickToPaint(page, rootToggle);
      expectRows('collapse root', collapsed.rows, (n) => n === 1);
      collapseRoot.push(collapsed.ms);
      const expanded = await clickToPaint(page, rootToggle);
      expectRows('expand root', expanded.rows, (n) => n > 20);
      expandRoot.push(expanded.ms);
      const midToggle = '.tl-row[data-depth="1"] button.toggle';
      const mid = await clickToPaint(page, midToggle);
      expectRows('collapse depth 1', mid.rows, (n) => n > 1);
      collapseMid.push(mid.ms);
      await page.click(midToggle);
      longestFrame.push(
        await page.evaluate(async () => {
          const el = document.querySelector<HTMLElement>('[data-testid=timeline-scroll]')!;
          el.scrollTop = 0;
          await new Promise((r) => requestAnimationFrame(r));
          let last = performance.now();
          let worst = 0;
          for (let i = 0; i < 240; i++) {
            el.scrollTop += 400;
            await new Promise((r) => requestAnimationFrame(r));
            const now = performance.now();
            worst = Math.max(worst, now - last);
            last = now;
          }
          return worst;
        }),
      );
      searchNav.push(
        await navigationMs(page, searchUrl, async (p) => {
          await p.waitForFunction(
            () => document.querySelector('[data-testid=result-count]')?.textContent === '1000 traces',
          );
          await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
        }),
      );
      searchRender.push(
        await page.evaluate(() => {
          const entry = performance
            .getEntriesByType('resource')
            .find((e) => e.name.includes('/api/v2/traces'));
          return performance.now() - (entry as unknown as PerformanceResourceTiming).responseEnd;
        }),
      );
      parseOnly.push(
        await page.evaluate(async (api) => {
          const t0 = performance.now();
          const body = (await (await fetch(api)).json()) as unknown[];
          if (body.length !== 1000) throw new Error(`expected 1000 traces, got ${body.length}`);
          return performance.now() - t0;
        }, apiUrl),
      );
    }
    const rows = [
      ['10 000-span trace: navigation → interactive', median(open), Math.max(...open), median(bare), 1000],
      ['collapse root (10 000 → 1 row)', median(collapseRoot), Math.max(...collapseRoot), NaN, 100],
      ['expand root (1 → 10 000 rows)', median(expandRoot), Math.max(...expandRoot), NaN, 100],
      ['collapse a depth-1 span', median(collapseMid), Math.max(...collapseMid), NaN, 100],
      ['scroll 240 × 400 px: longest frame', median(longestFrame), Math.max(...longestFrame), 1000 / 60, 50],
      [
        'search, 1 000 traces: navigation → listed',
        median(searchNav),
        Math.max(...searchNav),
        median(parseOnly),
        300,
      ],
      ['search, 1 000 traces: answer → painted', median(searchRender), Math.max(...searchRender), NaN, 300],
    ] as const;
    const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
    console.log(
      `\nweb UI in headless chromium, ${runs} runs, load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
    );
    console.log(
      `${'measure'.padEnd(46)}${'ours p50'.padStart(10)}${'ours max'.padStart(10)}${'bare'.padStart(8)}${'goal'.padStart(7)}${'p50/goal'.padStart(10)}`,
    );
    for (const [name, p50, max, bareMs, goal] of rows) {
      console.log(
        `${name.padEnd(46)}${fmt(p50).padStart(10)}${fmt(max).padStart(10)}${fmt(bareMs).padStart(8)}${String(goal).padStart(7)}${(p50 / goal).toFixed(2).padStart(10)}`,
      );
    }
    console.log(
      'bare: trace: a plain page fetching the same trace and painting 40 plain rows; frame floor 16.7 ms at 60 Hz; search: fetch + JSON.parse of the same answer in the page',
    );
    const outDir = fileURLToPath(new URL('.', import.meta.url));
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      path.join(outDir, 'ui.json'),
      JSON.stringify(
        {
          runs,
          load: os.loadavg()[0],
          rows: rows.map(([name, p50, max, bareMs, goal]) => ({ name, p50, max, bare: bareMs, goal })),
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
