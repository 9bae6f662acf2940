/**
 * The web UI end to end: a real collector (SQLite), Debian's chromium through
 * playwright-core (one browser for the suite), a screenshot of every page in
 * test-artifacts/ui/.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../src/collector/index.js';
import { builtinFunctionSpec, defaultAutoscaling, startPlatform } from '../../src/platform/index.js';
import { buildTraceModel } from '../src/model/trace-model.js';
import { CHROMIUM_PATH, launchBrowser, type TestBrowser } from '../testing/browser.js';
import { XSS_VALUE } from '../testing/seed-traces.js';
import { seededCollector, type SeededCollector } from '../testing/ui-fixture.js';

const haveChromium = existsSync(CHROMIUM_PATH);
let browser: TestBrowser;
let lab: SeededCollector;
let page: Page;
let url: string;

async function rowCount(p: Page): Promise<number> {
  return p.locator('.tl-row').count();
}

describe.skipIf(!haveChromium)('web UI in chromium', () => {
  beforeAll(async () => {
    [browser, lab] = await Promise.all([launchBrowser(), seededCollector()]);
    url = lab.collector.url;
    page = await browser.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await lab?.close();
  });

  it('searches by service and sorts by duration', async () => {
    await page.goto(`${url}/search?service=frontend&lookback=1h&limit=50`);
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('30 traces');
    await browser.screenshot(page, 'search');
    await page.selectOption('select[name=sort]', 'longest');
    const first = page.locator('.result-row').first();
    await expect.poll(() => first.getAttribute('data-trace-id')).toBe(lab.hotels[lab.slowIndex]![0]!.traceId);
    expect(page.url()).toContain('sort=longest');
  });

  it('searches by tag from the form, and shows the empty state for no match', async () => {
    await page.goto(`${url}/search`);
    await expect.poll(() => page.locator('select[name=service] option').count()).toBeGreaterThan(3);
    await page.fill('input[name=tags]', 'coldstart.ready_ms=7.500');
    await page.click('button[type=submit]');
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('20 traces');
    expect(new URL(page.url()).searchParams.get('tags')).toBe('coldstart.ready_ms=7.500');
    await page.fill('input[name=tags]', 'http.status_code=599');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[data-state=empty] h2').textContent()).toBe('No traces found');
    await browser.screenshot(page, 'search-empty');
  });

  it('opens a trace from the results; expands and collapses; finds; keyboard', async () => {
    await page.goto(`${url}/search?service=frontend&lookback=1h`);
    await page.locator('.result-row a').first().click();
    await expect.poll(() => page.getByTestId('span-count').textContent()).toBe('8 spans');
    expect(await rowCount(page)).toBe(8);
    await browser.screenshot(page, 'trace');
    await page.locator('.tl-row').first().locator('button.toggle').click();
    await expect.poll(() => rowCount(page)).toBe(1);
    await page.locator('.tl-row').first().locator('button.toggle').click();
    await expect.poll(() => rowCount(page)).toBe(8);
    await page.fill('input[name=find]', 'rate');
    await page.press('input[name=find]', 'Enter');
    await expect.poll(() => page.getByTestId('find-count').textContent()).toBe('1/1 matches');
    await expect
      .poll(() => page.getByTestId('span-details').locator('h3').textContent())
      .toBe('rate: rate.getrates');
    expect(page.url()).toMatch(/#span=[0-9a-f]{16}$/);
    await page.locator('.trace-page').focus();
    await page.keyboard.press('ArrowUp');
    await expect
      .poll(() => page.getByTestId('span-details').locator('h3').textContent())
      .toBe('geo: geo.nearby');
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.getByTestId('span-details').locator('h3').textContent())
      .toBe('search: nearby');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => rowCount(page)).toBe(6);
  });

  it('selects a span from a deep link and draws cold-start phases, stages and sidecar stages', async () => {
    const trace = lab.hotels[0]!;
    const geo = trace.find((s) => s.name === 'geo.nearby')!;
    await page.goto(`${url}/trace/${trace[0]!.traceId}#span=${geo.id}`);
    await expect
      .poll(() => page.getByTestId('span-details').locator('h3').textContent())
      .toBe('geo: geo.nearby');
    const geoRow = page.locator(`.tl-row[data-span-id="${geo.id}"]`);
    expect(await geoRow.getAttribute('class')).toContain('selected');
    expect(
      await geoRow
        .locator('[data-segment]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-segment'))),
    ).toEqual([
      'cold start: spawn',
      'cold start: runtime init',
      'cold start: code load',
      'cold start: function init',
      'cold start: ready',
    ]);
    expect(await page.locator('.tl-row .seg-stage').count()).toBe(2);
    expect(await page.locator('.tl-row .seg-sidecar').count()).toBe(2);
    // The critical path comes from a worker, after the rows.
    await expect.poll(() => page.locator('.tl-row.critical').count()).toBeGreaterThan(3);
    await browser.screenshot(page, 'trace-deep-link');
  });

  it('shows a hostile tag value as text in the details and the JSON', async () => {
    const trace = lab.hotels[0]!;
    const rate = trace.find((s) => s.name === 'rate.getrates')!;
    await page.goto(`${url}/trace/${trace[0]!.traceId}#span=${rate.id}`);
    const cell = page.getByTestId('tags').locator('td', { hasText: 'onerror' });
    await expect.poll(() => cell.textContent()).toBe(XSS_VALUE);
    await page.getByRole('tab', { name: 'JSON' }).click();
    await expect.poll(() => page.getByTestId('trace-json').textContent()).toContain('onerror');
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    await browser.screenshot(page, 'trace-json');
  });

  it('shows statistics and the flame graph', async () => {
    await page.goto(`${url}/trace/${lab.hotels[0]![0]!.traceId}`);
    await page.getByRole('tab', { name: 'Statistics' }).click();
    await expect.poll(() => page.getByTestId('trace-stats').locator('tbody tr').count()).toBe(8);
    await browser.screenshot(page, 'trace-stats');
    await page.getByRole('tab', { name: 'Flame graph' }).click();
    await page.locator('.flame canvas').click({ position: { x: 20, y: 5 } });
    await expect
      .poll(() => page.getByTestId('span-details').locator('h3').textContent())
      .toBe('frontend: get /hotels');
    await browser.screenshot(page, 'trace-flame');
  });

  it('opens the 10 000-span trace, scrolls to its end and collapses it', async () => {
    const started = Date.now();
    const timesWorker = page.waitForEvent('worker', (w) => w.url().includes('times-worker'));
    await page.goto(`${url}/trace/${lab.big[0]!.traceId}`);
    // Self time and critical path are computed off the main thread.
    await timesWorker;
    await expect
      .poll(() => page.getByTestId('span-count').textContent(), { timeout: 10_000 })
      .toBe('10000 spans');
    const openMs = Date.now() - started;
    expect(await rowCount(page)).toBeLessThan(200);
    await browser.screenshot(page, 'trace-10000');
    await page.getByTestId('timeline-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const model = buildTraceModel(lab.big);
    const last = model.nodes[model.order[model.order.length - 1]!]!.span;
    await expect.poll(() => page.locator(`.tl-row[data-span-id="${last.id}"]`).count()).toBe(1);
    expect(await page.locator(`.tl-row[data-span-id="${lab.big[0]!.id}"]`).count()).toBe(0);
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await expect.poll(() => rowCount(page)).toBe(11);
    expect(openMs).toBeLessThan(10_000);
  });

  it('says when a trace is not found', async () => {
    await page.goto(`${url}/trace/0123456789abcdef`);
    await expect.poll(() => page.locator('[data-state=not-found]').count()).toBe(1);
    await browser.screenshot(page, 'trace-not-found');
  });

  it('compares two traces of one type and marks what changed', async () => {
    const a = lab.hotels[0]![0]!.traceId;
    const b = lab.hotels[lab.slowIndex]![0]!.traceId;
    await page.goto(`${url}/compare?a=${a}&b=${b}`);
    await expect.poll(() => page.getByTestId('changed-count').textContent()).toBe('4 nodes changed');
    expect(await page.locator('tr[data-change=slower] td').first().textContent()).toBe(
      'frontend:get /hotels',
    );
    expect(await page.locator('tr[data-change=same]').count()).toBe(4);
    await browser.screenshot(page, 'compare');
  });

  it('draws the service graph with call counts', async () => {
    await page.goto(`${url}/dependencies?lookback=1h`);
    await expect
      .poll(() => page.locator('[data-edge="frontend->search"] text').textContent())
      .toBe('30 calls');
    expect(await page.locator('g.node').count()).toBeGreaterThanOrEqual(3);
    await browser.screenshot(page, 'dependencies');
  });

  it('overlays two invoker runs', async () => {
    await page.goto(`${url}/runs?show=${lab.runIds.join(',')}`);
    await expect.poll(() => page.getByTestId('run-overlay').getAttribute('data-runs')).toBe('2');
    expect(await page.locator('.u-legend').first().textContent()).toMatch(
      /(?=[\s\S]*boot)(?=[\s\S]*snapshot)/,
    );
    expect(await page.getByTestId('runs').locator('tbody tr').count()).toBe(2);
    await browser.screenshot(page, 'runs');
    await page.locator(`tr[data-run-id="${lab.runIds[0]}"] a`).click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('tags'))
      .toBe(`hivelab.run_id=${lab.runIds[0]}`);
  });

  it('opens a request type, its anomaly, and its trace with the culprit span selected', async () => {
    const slow = lab.hotels[lab.slowIndex]!;
    const culprit = slow.find((s) => s.name === 'rate.getrates')!;
    // The analyzer's own answer, as the page reads it (one pass for types and anomalies).
    const answer = (await (
      await fetch(`${url}/api/hivelab/anomalies?withTypes=true&lookback=1h`)
    ).json()) as {
      types: { key: string; count: number }[];
      anomalies: { traceId: string; type: string; culprit: { spanId: string } | null }[];
      skipped: { type: string; count: number }[];
    };
    const hotelType = answer.types.find((t) => t.count === 30)!;
    expect(hotelType.key).toContain('frontend:get /hotels');
    expect(answer.skipped.map((s) => s.count)).toEqual([1]);
    await page.goto(`${url}/types?lookback=1h`);
    const row = page.locator(`[data-testid=types] tr[data-type="${hotelType.key}"]`);
    await expect.poll(() => row.locator('td.num').first().textContent()).toBe('30');
    await expect
      .poll(() => page.getByTestId('skipped-types').locator('li').textContent())
      .toMatch(/^1 × gateway:big request/);
    await browser.screenshot(page, 'types');
    await row.locator('a').click();
    expect(new URL(page.url()).searchParams.get('type')).toBe(hotelType.key);
    const anomaly = page.locator(`[data-testid=anomalies] tr[data-trace-id="${slow[0]!.traceId}"]`).first();
    await expect.poll(() => anomaly.locator('td').last().textContent()).toMatch(/^rate: rate\.getrates \(/);
    await expect.poll(() => page.getByTestId('latency-histogram').locator('.qbar').count()).toBe(4);
    await browser.screenshot(page, 'types-detail');
    await anomaly.locator('a').click();
    expect(page.url()).toBe(`${url}/trace/${slow[0]!.traceId}#span=${culprit.id}`);
    await expect
      .poll(() => page.getByTestId('span-details').locator('h3').textContent())
      .toBe('rate: rate.getrates');
    expect(await page.locator(`.tl-row[data-span-id="${culprit.id}"]`).getAttribute('class')).toContain(
      'selected',
    );
    await browser.screenshot(page, 'types-anomaly-trace');
  });

  it('says the platform is not running on /functions for a collector alone', async () => {
    await page.goto(`${url}/functions`);
    await expect.poll(() => page.locator('[data-state=platform-down]').count()).toBe(1);
    await browser.screenshot(page, 'functions-no-platform');
  });

  it('shows functions while one scales, with its cold start', async () => {
    const platform = await startPlatform({ port: 0, zipkinUrl: `${url}/api/v2/spans` });
    try {
      lab.collector.setPlatformUrl(platform.url);
      await platform.deploy(
        builtinFunctionSpec('builtin:sleep', 'sleepy', {
          containerConcurrency: 1,
          autoscaling: {
            ...defaultAutoscaling(1),
            target: 1,
            targetUtilization: 1,
            stableWindowMs: 6000,
            tickIntervalMs: 500,
          },
        }),
      );
      await page.goto(`${url}/functions`);
      const ready = page.locator('tr[data-function="default/sleepy"] [data-testid=ready]');
      await expect.poll(() => ready.textContent()).toBe('1 / 1');
      const burst = Promise.all(Array.from({ length: 3 }, () => fetch(`${platform.url}/fn/sleepy/?ms=4000`)));
      await expect.poll(() => ready.textContent(), { timeout: 15_000 }).toMatch(/^[23] \/ 3$/);
      const answers = await burst;
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      await page.reload();
      await expect
        .poll(() => page.getByTestId('cold-starts').locator('tbody tr').count(), { timeout: 10_000 })
        .toBeGreaterThan(0);
      await expect.poll(() => page.locator('.charts .chart canvas').count()).toBeGreaterThan(0);
      // The platform's own history: the scale-up is drawn after a reload too.
      const points = page.getByTestId('instances-chart').first();
      await expect.poll(async () => Number(await points.getAttribute('data-points'))).toBeGreaterThan(2);
      await browser.screenshot(page, 'functions');
    } finally {
      await platform.close();
    }
  });

  it('serves the pages under /jaeger/ too', async () => {
    await page.goto(`${url}/jaeger/trace/${lab.hotels[0]![0]!.traceId}`);
    await expect.poll(() => page.getByTestId('span-count').textContent()).toBe('8 spans');
    expect(await page.locator('header.top a.brand').getAttribute('href')).toBe('/jaeger/search');
  });

  describe('an empty collector, then a stopped one', () => {
    let empty: RunningCollector;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-ui-empty-'));
      empty = await startCollector({ port: 0, otlpPort: null, dataDir: dir, log: () => {} });
    });
    afterAll(async () => {
      await empty.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows the empty states', async () => {
      await page.goto(`${empty.url}/search?lookback=1h`);
      await expect.poll(() => page.locator('[data-state=empty] h2').textContent()).toBe('No traces found');
      await page.goto(`${empty.url}/runs`);
      await expect
        .poll(() => page.locator('[data-state=empty] h2').textContent())
        .toBe('No invoker runs yet');
      await browser.screenshot(page, 'runs-empty');
      await page.goto(`${empty.url}/dependencies`);
      await expect
        .poll(() => page.locator('[data-state=empty] h2').textContent())
        .toBe('No dependencies in this window');
      await browser.screenshot(page, 'dependencies-empty');
      await page.goto(`${empty.url}/compare`);
      await expect.poll(() => page.locator('[data-state=empty] h2').textContent()).toBe('Compare two traces');
      await browser.screenshot(page, 'compare-empty');
      await page.goto(`${empty.url}/types`);
      await expect
        .poll(() => page.locator('[data-state=empty] h2').textContent())
        .toBe('No request types yet');
      await browser.screenshot(page, 'types-empty');
    });

    it('says the collector is down when it stops answering', async () => {
      await page.goto(`${empty.url}/search`);
      await expect.poll(() => page.locator('select[name=service]').count()).toBe(1);
      await empty.close();
      await page.click('button[type=submit]');
      await expect.poll(() => page.locator('[data-state=collector-down]').count()).toBeGreaterThan(0);
      await browser.screenshot(page, 'collector-down');
      // The other pages say so too (navigation inside the page: the collector serves no HTML now).
      await page.getByRole('link', { name: 'Request types' }).click();
      await expect.poll(() => page.locator('[data-state=collector-down]').count()).toBe(1);
      await browser.screenshot(page, 'types-collector-down');
    });
  });
});
