/**
 * `call(target, init)`: invoke another function through the gateway, with the current trace
 * context propagated (W3C `traceparent` and B3), and a CLIENT span reported for the call.
 */
import http from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';
import { UserError } from '../errors.js';
import { injectTraceContext, newSpanId, newTraceId, type TraceContext } from '../tracing/index.js';
import { currentScope } from './invocation-scope.js';
import { sinkFor, type SpanSink } from './span-sink.js';

export interface CallInit {
  /** @default 'GET', or 'POST' when there is a body */
  method?: string;
  /** Path and query the function sees. @default '/' */
  path?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** @default env `HIVELAB_GATEWAY_URL` */
  gatewayUrl?: string;
  /** @default 30000 */
  timeoutMs?: number;
  /** Where the CLIENT span goes. @default the invocation's Zipkin reporter, if tracing is on */
  sink?: SpanSink;
}

const TARGET_PATTERN = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.([a-z0-9]([-a-z0-9]*[a-z0-9])?))?$/;

/** Pure: `name` or `name.namespace` → the Host header the gateway routes on. */
export function targetHost(target: string): string {
  const match = TARGET_PATTERN.exec(target);
  if (!match) {
    throw new UserError(
      `call target: expected "name" or "name.namespace" (DNS labels), got ${JSON.stringify(target)}`,
    );
  }
  return `${match[1]}.${match[4] ?? 'default'}.localhost`;
}

/**
 * Calls a deployed function and resolves with its response (the body fully read).
 * @throws UserError when no gateway is known or the target is malformed; rejects on network errors.
 */
export async function call(target: string, init: CallInit = {}): Promise<Response> {
  const host = targetHost(target);
  const gateway = init.gatewayUrl ?? process.env.HIVELAB_GATEWAY_URL;
  if (gateway === undefined || gateway === '') {
    throw new UserError(
      'call: no gateway known: HIVELAB_GATEWAY_URL is not set',
      'set HIVELAB_GATEWAY_URL (e.g. http://127.0.0.1:8080) or pass init.gatewayUrl',
    );
  }
  const scope = currentScope();
  const parent = scope?.parent;
  const client: TraceContext = {
    traceId: parent?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    ...(parent !== undefined ? { parentSpanId: parent.spanId } : {}),
    ...(parent?.sampled !== undefined ? { sampled: parent.sampled } : {}),
  };
  const headers: Record<string, string> = { ...init.headers, host };
  injectTraceContext(client, headers);
  const method = init.method ?? (init.body !== undefined ? 'POST' : 'GET');
  const startEpochUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
  let status = 0;
  let failure: string | undefined;
  try {
    const response = await send(
      new URL(init.path ?? '/', gateway),
      method,
      headers,
      init.body,
      init.timeoutMs ?? 30_000,
    );
    status = response.status;
    return response;
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    const sink = init.sink ?? sinkFor(scope?.ctx.zipkinUrl ?? (process.env.HIVELAB_ZIPKIN_URL || undefined));
    if (sink && client.sampled !== false) {
      const tags: Record<string, string> = { 'http.method': method, 'http.path': init.path ?? '/' };
      if (status > 0) tags['http.status_code'] = String(status);
      if (failure !== undefined) tags.error = failure;
      else if (status >= 500) tags.error = String(status);
      sink.report({
        traceId: client.traceId,
        id: client.spanId,
        ...(parent !== undefined ? { parentId: parent.spanId } : {}),
        name: `call ${target}`,
        kind: 'CLIENT',
        timestamp: startEpochUs,
        duration: Math.max(1, Math.round((performance.timeOrigin + performance.now()) * 1000) - startEpochUs),
        localEndpoint: {
          serviceName: scope?.ctx.functionName ?? process.env.HIVELAB_FUNCTION_NAME ?? 'client',
        },
        remoteEndpoint: { serviceName: host.split('.')[0] ?? target },
        tags,
      });
    }
  }
}

let https: typeof Https | undefined;

/**
 * node:https, loaded on the first https URL: loading it at import cost every instance that
 * imports the SDK 6-16 ms of boot, and a gateway on loopback is plain http. Required, not
 * imported, so that a startup-snapshot bundle (no dynamic import() of built-ins on Node 20)
 * works too.
 */
function httpsModule(): typeof Https {
  https ??= createRequire(import.meta.url)('node:https') as typeof Https;
  return https;
}

/** node:http, because fetch() does not let a caller set the Host header the gateway routes on. */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  timeoutMs: number,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? httpsModule() : http;
    const req = transport.request(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
          else if (value !== undefined) responseHeaders.set(name, value);
        }
        const status = res.statusCode ?? 502;
        const noBody = status === 204 || status === 304 || method === 'HEAD';
        resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`call timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
