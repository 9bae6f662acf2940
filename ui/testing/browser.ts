/**
 * Debian's chromium driven by playwright-core, launched once per suite: headless, no
 * sandbox (CI runs as root), no GPU, no background traffic, a fresh empty profile.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where screenshots go (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/ui/', import.meta.url));

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  /** Saves a full-page screenshot as `test-artifacts/ui/<name>.png`. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'hivelab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    context,
    newPage: () => context.newPage(),
    async screenshot(page, name) {
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
