/**
 * Web UI benchmark in headless Chromium (Debian's, through playwright-core):
 * `npm run bench -- ui [--runs N]` (needs `npm run build`: the collector serves dist/ui).
 *
 * 1. The 10 000-span trace page: navigation → root row shown and a scroll answered (goal < 1 s),
 *    timed inside the page (a script installed before the page's own): as soon as the root row
 *    is in a frame it scrolls the timeline 2 400 px down, and the page is interactive at the
 *    first frame where a row is drawn at the top of the scrolled view (a scroll the page does
 *    not answer leaves blank space there). The driver's own round trips are not counted, nor a
 *    busy collector in this process delaying them. Beside it, the longest main-thread task
 *    before the root row was painted (loading: parse, first render), and after it until 3 s
 *    (a frame a user scrolling then would miss: the scroll goal, applied to the load).
 * 2. Expand/collapse of the root and of a mid-level span: click → DOM updated and painted
 *    (goal < 100 ms).
 * 3. Scrolling the 10 000 rows: 240 frames of 400 px each, the longest frame (goal < 50 ms).
 * 4. A search answering 1 000 traces (8 000 spans): navigation → 1 000 results listed
 *    (goal < 300 ms), and the rendering alone (answer received → rows painted).
 * Beside ours, the bare limit in the same run: for the trace, a plain page that fetches the
 * same trace, parses it and shows its first 40 rows as plain divs (no tree, no timeline);
 * for the search, fetch + JSON.parse of the same answer in the page with no rendering (the
 * page asks for one summary per trace, `/api/hivelab/trace-summaries`, not every span).
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
import { benchFlags } from './lib/bench-kit.js';

// The page-side code below runs in Chromium; bench/ has no DOM types, so these few
// declarations (module-scoped) describe what it touches.
interface PageElement {
  scrollTop: number;
  scrollHeight: number;
  textContent: string | null;
  click(): void;
  closest(selector: string): PageElement | null;
  getBoundingClientRect(): { left: number; top: number };
}
type HTMLElement = PageElement;
type PerformanceResourceTiming = { responseEnd: number };
declare const document: {
  querySelector<T = PageElement>(selector: string): T | null;
  querySelectorAll(selector: string): { length: number };
  elementFromPoint(x: number, y: number): PageElement | null;
  createElement(tag: string): PageElement & { style: { cssText: string } };
  body: { replaceChildren(...nodes: unknown[]): void };
};
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare const window: { __benchTrace?: Promise<TraceTiming>; __benchSearch?: Promise<number> };
declare const location: { pathname: string };
declare class PerformanceObserver {
  constructor(callback: (list: { getEntries(): { duration: number; startTime: number }[] }) => void);
  observe(options: { type: string; buffered?: boolean }): void;
}

/** What the in-page script measures on a trace page (ms from navigation start). */
interface TraceTiming {
  rootShownMs: number;
  interactiveMs: number;
  /** Longest main-thread task that started before the root row was painted (loading). */
  longestTaskBeforeMs: number;
  /** … and after it, until 3 s: a frame a user scrolling then would miss. */
  longestTaskAfterMs: number;
}

const { runs } = benchFlags({ runs: { type: 'number', default: 5, integer: true } });

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
 * Installed before every page's own scripts; on a trace page it times the root row and the
 * first answered scroll (see the header), and the longest tasks before and after the root row.
 */
function timingScript(): void {
  const frame = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));
  // The frame the DOM change is in has been painted: a task after its animation frame.
  const painted = async (): Promise<number> => {
    await frame();
    await new Promise((r) => setTimeout(r, 0));
    return performance.now();
  };
  if (location.pathname === '/search') {
    window.__benchSearch = (async () => {
      while (document.querySelector('[data-testid=result-count]')?.textContent !== '1000 traces')
        await frame();
      return painted();
    })();
  }
  if (!location.pathname.startsWith('/trace/')) return;
  const tasks: { startTime: number; duration: number }[] = [];
  new PerformanceObserver((list) => {
    tasks.push(...list.getEntries());
  }).observe({ type: 'longtask', buffered: true });
  window.__benchTrace = (async () => {
    while (!document.querySelector('.tl-row[data-depth="0"]')) await frame();
    const rootShownMs = await painted();
    const el = document.querySelector('[data-testid=timeline-scroll]')!;
    el.scrollTop = 2400;
    for (;;) {
      await frame();
      const box = el.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + 40, box.top + 12);
      if (el.scrollTop >= 2399 && hit?.closest('.tl-row')) break;
    }
    const interactiveMs = await painted();
    while (performance.now() < 3000) await new Promise((r) => setTimeout(r, 100));
    const longest = (keep: (t: { startTime: number }) => boolean): number =>
      Math.max(0, ...tasks.filter(keep).map((t) => t.duration));
    return {
      rootShownMs,
      interactiveMs,
      longestTaskBeforeMs: longest((t) => t.startTime < rootShownMs),
      longestTaskAfterMs: longest((t) => t.startTime >= rootShownMs && t.startTime < 3000),
    };
  })();
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
    await page.addInitScript(timingScript);
    const traceUrl = `${collector.url}/trace/${big[0]!.traceId}`;
    const searchUrl = `${collector.url}/search?service=frontend&lookback=1h&limit=1000`;
    const apiUrl = `/api/hivelab/trace-summaries?serviceName=frontend&lookback=3600000&limit=1000&endTs=${Date.now() + 60_000}`;

    const open: number[] = [];
    const rootShown: number[] = [];
    const longestTaskBefore: number[] = [];
    const longestTaskAfter: number[] = [];
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
      await page.goto('about:blank');
      await page.goto(traceUrl, { waitUntil: 'commit' });
      const timing = await page.evaluate(() => window.__benchTrace!);
      open.push(timing.interactiveMs);
      rootShown.push(timing.rootShownMs);
      longestTaskBefore.push(timing.longestTaskBeforeMs);
      longestTaskAfter.push(timing.longestTaskAfterMs);
      await page.evaluate(() => {
        document.querySelector<HTMLElement>('[data-testid=timeline-scroll]')!.scrollTop = 0;
      });
      await page.waitForSelector('.tl-row[data-depth="0"]');
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
      await page.goto('about:blank');
      await page.goto(searchUrl, { waitUntil: 'commit' });
      const listedMs = await page.evaluate(() => window.__benchSearch!);
      searchNav.push(listedMs);
      searchRender.push(
        await page.evaluate((listedMs) => {
          // The answer the results come from: the one request that asks for 1 000 traces.
          const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('limit=1000'));
          return listedMs - (entry as unknown as PerformanceResourceTiming).responseEnd;
        }, listedMs),
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
      ['10 000-span trace: navigation → root row', median(rootShown), Math.max(...rootShown), NaN, 1000],
      [
        'trace page: longest task before the root row',
        median(longestTaskBefore),
        Math.max(...longestTaskBefore),
        NaN,
        NaN,
      ],
      [
        'trace page: longest task after it (to 3 s)',
        median(longestTaskAfter),
        Math.max(...longestTaskAfter),
        NaN,
        50,
      ],
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
        `${name.padEnd(46)}${fmt(p50).padStart(10)}${fmt(max).padStart(10)}${fmt(bareMs).padStart(8)}${(Number.isFinite(goal) ? String(goal) : '–').padStart(7)}${(Number.isFinite(goal) ? (p50 / goal).toFixed(2) : '–').padStart(10)}`,
      );
    }
    console.log(
      'bare: trace: a plain page fetching the same trace and painting 40 plain rows; frame floor 16.7 ms at 60 Hz; search: fetch + JSON.parse of the same answer (summaries) in the page',
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
