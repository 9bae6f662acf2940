/**
 * `GET /_hivelab/functions/<ns>/<name>/logs`: an instance's (or every instance's) output as
 * text, like the Kubernetes API's pod `log` subresource. With `follow=1` the response stays
 * open and carries each line as it is written, until the client goes, or, for one
 * instance, until that instance ended. Logs outlive their instance (a crashed one's too)
 * and their function, so a failed deploy can still be read.
 */
import { HttpError } from '../../errors.js';
import type { GatewayResponse } from '../gateway/server-types.js';
import { describeInstanceState, formatLogLine, parseLogQuery } from '../logs/index.js';
import type { InstanceLogMeta, LogLine, LogSource } from '../logs/index.js';

function listInstances(metas: readonly InstanceLogMeta[]): string {
  if (metas.length === 0) return 'none yet';
  return metas.map((m) => `${m.instanceId} (${describeInstanceState(m)})`).join(', ');
}

/** Answers the logs request; `deployed` says whether the function is deployed now. */
export function serveLogs(
  logs: LogSource,
  res: GatewayResponse,
  target: { namespace: string; name: string; deployed: boolean },
  params: URLSearchParams,
): void {
  const { namespace, name } = target;
  const query = parseLogQuery(params);
  const metas = logs.instances(namespace, name);
  if (metas.length === 0 && !target.deployed) {
    throw new HttpError(404, `no function ${namespace}/${name} and no logs of it`);
  }
  const instance =
    query.instanceId === undefined ? undefined : metas.find((m) => m.instanceId === query.instanceId);
  if (query.instanceId !== undefined && !instance) {
    throw new HttpError(
      404,
      `no logs of instance ${query.instanceId} of ${namespace}/${name}; instances with logs: ${listInstances(metas)}`,
    );
  }
  if (instance && query.container !== undefined && !instance.containers.includes(query.container)) {
    throw new HttpError(
      404,
      `instance ${instance.instanceId} has no container ${query.container}; its containers: ${instance.containers.join(', ')}`,
    );
  }
  const containers = new Map(metas.map((m) => [m.instanceId, m.containers.length]));
  const format = {
    prefix: query.instanceId === undefined,
    timestamps: query.timestamps,
    containersOf: (instanceId: string): number => {
      if (!containers.has(instanceId)) {
        // Started while following: learn its containers once.
        for (const m of logs.instances(namespace, name)) containers.set(m.instanceId, m.containers.length);
      }
      return containers.get(instanceId) ?? 1;
    },
  };
  const selection = {
    ...(query.instanceId !== undefined ? { instanceId: query.instanceId } : {}),
    ...(query.container !== undefined ? { container: query.container } : {}),
    ...(query.sinceMs !== undefined ? { sinceEpochMs: Date.now() - query.sinceMs } : {}),
  };
  let lines = logs.read(namespace, name, selection);
  if (query.tailLines !== undefined) lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
  const text = (batch: readonly LogLine[]): string =>
    batch.map((line) => formatLogLine(line, format)).join('');
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (!query.follow || instance?.exit) {
    const body = text(lines);
    res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
    return;
  }
  // Same tick as the read above: the store writes synchronously, so no line falls between.
  const unsubscribe = logs.follow(namespace, name, selection, {
    onLine: (line) => res.write(formatLogLine(line, format)),
    onInstanceEnd: (instanceId) => {
      if (query.instanceId !== instanceId) return;
      unsubscribe();
      res.end();
    },
  });
  res.once('close', unsubscribe);
  res.writeHead(200, headers);
  res.write(text(lines));
  (res as { flushHeaders?: () => void }).flushHeaders?.();
}
