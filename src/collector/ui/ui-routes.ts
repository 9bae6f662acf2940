/**
 * Serves the built web UI (`dist/ui`, made by `npm run build`) at `/` and under `/jaeger/`
 * (Istio's Jaeger base path): every page path answers `index.html` so deep links work, and
 * `/assets/…` the hashed, immutable files. Nothing is fetched from elsewhere.
 */
import type { IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from '../../errors.js';
import { distPath } from '../../package-root.js';
import { send } from '../../http/index.js';
import type { Route } from '../http/router.js';

/** The UI's page paths (see ui/src/main.tsx); each also answers under `/jaeger`. */
export const UI_PAGES: readonly string[] = [
  '/',
  '/search',
  '/trace/{traceId}',
  '/compare',
  '/types',
  '/dependencies',
  '/functions',
  '/runs',
];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Data is shown as text: scripts only from this origin, no inline script, no framing. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

const ASSET_NAME = /^[A-Za-z0-9._-]+$/;

/** The UI routes; `uiDir` defaults to the package's `dist/ui`. */
export function uiRoutes(uiDir: string = distPath('ui')): Route[] {
  const cache = new Map<string, Promise<Buffer>>();
  const load = (file: string): Promise<Buffer> => {
    let pending = cache.get(file);
    if (!pending) {
      pending = readFile(path.join(uiDir, file));
      cache.set(file, pending);
      // A missing file is not cached: a build made while the collector runs is picked up.
      pending.catch(() => cache.delete(file));
    }
    return pending;
  };
  const page: Route['handler'] = async (_req, res) => {
    let html: Buffer;
    try {
      html = await load('index.html');
    } catch {
      throw new HttpError(
        503,
        `the web UI is not built (no ${path.join(uiDir, 'index.html')}): run npm run build`,
      );
    }
    send(res, 200, html, 'text/html; charset=utf-8', PAGE_HEADERS);
  };
  const asset: Route['handler'] = async (_req, res, { params }) => {
    const name = params.file ?? '';
    const type = CONTENT_TYPES[path.extname(name)];
    if (!ASSET_NAME.test(name) || type === undefined) throw new HttpError(404, `no such asset: ${name}`);
    let body: Buffer;
    try {
      body = await load(path.join('assets', name));
    } catch {
      throw new HttpError(404, `no such asset: ${name}`);
    }
    send(res, 200, body, type, {
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  };
  return [
    ...UI_PAGES.flatMap((p): Route[] => [
      { method: 'GET', pattern: p, handler: page },
      { method: 'GET', pattern: p === '/' ? '/jaeger' : `/jaeger${p}`, handler: page },
    ]),
    { method: 'GET', pattern: '/assets/{file}', handler: asset },
    { method: 'GET', pattern: '/jaeger/assets/{file}', handler: asset },
  ];
}

/** True for a browser's page load (`Accept: text/html…`); curl and fetch ask for any type. */
export function acceptsHtml(request: IncomingMessage): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}
