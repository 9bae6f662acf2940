/**
 * hivelab's own collector routes for the web UI:
 *   POST /api/hivelab/runs          register an invoker run (summary + histogram) → 201
 *   GET  /api/hivelab/runs          → {runs: [...]}
 *   GET  /api/hivelab/runs/{runId}  → the run, 404 when unknown
 *   GET  /api/hivelab/platform/functions[/{ns}/{name}/history]
 *                                   the platform's admin API (`/_hivelab/functions…`),
 *                                   503 when no platform is attached (`hivelab collector` alone)
 */
import { HttpError } from '../../errors.js';
import { readBody, send, sendJson } from '../../http/index.js';
import type { Route } from '../http/router.js';
import { parseRunRecord } from './run-record.js';
import type { RunRegistry } from './run-registry.js';

/** Where the platform's gateway is, once `hivelab up` has started it. */
export interface PlatformLink {
  url?: string;
}

const MAX_RUN_BYTES = 4 * 1024 * 1024;
const PLATFORM_TIMEOUT_MS = 5_000;

async function proxyPlatform(
  platform: PlatformLink,
  pathname: string,
): Promise<{ status: number; body: string }> {
  if (platform.url === undefined) {
    throw new HttpError(503, 'the platform is not running in this collector (start the lab with hivelab up)');
  }
  try {
    const answer = await fetch(`${platform.url}${pathname}`, {
      signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
    });
    return { status: answer.status, body: await answer.text() };
  } catch (error) {
    throw new HttpError(503, `the platform at ${platform.url} did not answer: ${(error as Error).message}`);
  }
}

/** The routes; `runs` keeps the runs, `platform` says where the gateway is. */
export function hivelabRoutes(runs: RunRegistry, platform: PlatformLink): Route[] {
  const platformRoute = (pattern: string, target: (p: Record<string, string>) => string): Route => ({
    method: 'GET',
    pattern: `/api/hivelab/platform${pattern}`,
    handler: async (_req, res, { params }) => {
      const answer = await proxyPlatform(platform, target(params));
      send(
        res,
        answer.status,
        answer.body,
        answer.status < 300 ? 'application/json' : 'text/plain; charset=utf-8',
      );
    },
  });
  const fn = (p: Record<string, string>): string =>
    `/_hivelab/functions/${encodeURIComponent(p.namespace!)}/${encodeURIComponent(p.name!)}`;
  return [
    {
      method: 'POST',
      pattern: '/api/hivelab/runs',
      handler: async (req, res) => {
        const body = await readBody(req, MAX_RUN_BYTES);
        let value: unknown;
        try {
          value = JSON.parse(body.toString('utf8'));
        } catch {
          throw new HttpError(400, 'invalid run: the body is not JSON');
        }
        const run = parseRunRecord(value);
        if ('error' in run) throw new HttpError(400, run.error);
        await runs.add(run);
        sendJson(res, 201, { runId: run.runId });
      },
    },
    {
      method: 'GET',
      pattern: '/api/hivelab/runs',
      handler: (_req, res) => sendJson(res, 200, { runs: runs.list() }),
    },
    {
      method: 'GET',
      pattern: '/api/hivelab/runs/{runId}',
      handler: (_req, res, { params }) => {
        const run = runs.get(params.runId!);
        if (!run) throw new HttpError(404, `no run ${params.runId}`);
        sendJson(res, 200, run);
      },
    },
    platformRoute('/functions', () => '/_hivelab/functions'),
    platformRoute('/functions/{namespace}/{name}/history', (p) => `${fn(p)}/history`),
  ];
}
