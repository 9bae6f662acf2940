/**
 * serveFunction's Node-native path on a real loopback server: the handler gets node's request
 * and response and the invocation context, failures answer as on the web path, and the
 * runner counts an invocation once its response is over.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { defineFunction, traced, type SpanSink } from '../../sdk/index.js';
import type { Span } from '../../spans/index.js';
import { asFunctionModule, serveFunction, type ServedFunction } from './serve-function.js';

const servers: ServedFunction[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(
  mod: Parameters<typeof serveFunction>[0],
  onInvocation: () => void = () => undefined,
): Promise<number> {
  const served = await serveFunction(mod, { port: 0, protocol: 'http1', onInvocation });
  servers.push(served);
  return served.port;
}

/** One request with node:http (so a cut connection shows as an error, not a retry). */
function get(
  port: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/p?q=1', headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('error', reject);
        res.on('end', () =>
          res.complete
            ? resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] })
            : reject(new Error('response cut short')),
        );
      })
      .on('error', reject);
  });
}

describe('serveFunction with a node handler', () => {
  it("passes node's request and response, and the context from the headers", async () => {
    const port = await serve({
      node: (req, res, ctx) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ url: req.url, method: req.method, ctx }));
      },
    });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const answer = await get(port, { traceparent, 'x-other': 'no' });
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body) as { url: string; method: string; ctx: { traceHeaders: unknown } };
    expect(seen).toMatchObject({ url: '/p?q=1', method: 'GET', ctx: { traceHeaders: { traceparent } } });
  });

  it('answers 500 with the reason when the handler throws or rejects before answering', async () => {
    const thrown = await serve({
      node: () => {
        throw new Error('sync boom');
      },
    });
    const rejected = await serve({ node: () => Promise.reject(new Error('async boom')) });
    expect(await get(thrown)).toEqual({
      status: 500,
      body: 'function error: sync boom',
      type: 'text/plain',
    });
    expect((await get(rejected)).body).toBe('function error: async boom');
  });

  it('cuts the connection when the handler fails after the head was sent', async () => {
    const port = await serve({
      node: async (_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        await Promise.resolve();
        throw new Error('late boom');
      },
    });
    await expect(get(port)).rejects.toThrow();
  });

  it('counts an invocation once the response is over, also when the handler ends it later', async () => {
    let count = 0;
    const port = await serve(
      {
        node: (_req, res) => {
          setTimeout(() => res.end('later'), 20);
        },
      },
      () => (count += 1),
    );
    expect((await get(port)).body).toBe('later');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(count).toBe(1);
  });

  it("runs a defineFunction handler in the invocation's scope: traced() spans are children of the request", async () => {
    const spans: Span[] = [];
    const sink: SpanSink = { report: (span) => spans.push(span) };
    const work = traced('work', () => 'done', { sink });
    const port = await serve(defineFunction({ node: (_req, res) => void res.end(work()) }));
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect((await get(port, { traceparent })).body).toBe('done');
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      name: 'work',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentId: '00f067aa0ba902b7',
    });
    expect(Object.keys(spans[0]?.tags ?? {})).toEqual(
      expect.arrayContaining(['cpu.ms', 'exec.ms', 'peak_mem.kb', 'function.name']),
    );
  });
});

describe('function module shape', () => {
  const fetchHandler = (): Response => new Response('');
  const nodeHandler = (): void => undefined;

  it('refuses both HTTP handlers, a non-function handler and a module with no handler', () => {
    expect(() => asFunctionModule({ fetch: fetchHandler, node: nodeHandler }, 'm.js')).toThrow(
      'm.js: give one HTTP handler, fetch or node, not both',
    );
    expect(() => asFunctionModule({ node: 'nope' }, 'm.js')).toThrow(
      'm.js: node must be a function, got string',
    );
    expect(() => asFunctionModule({ init: () => undefined }, 'm.js')).toThrow(
      'no HTTP handler (fetch or node)',
    );
    expect(() => defineFunction({ fetch: fetchHandler, node: nodeHandler })).toThrow('not both');
    expect(asFunctionModule(defineFunction({ node: nodeHandler }), 'm.js').node).toBeTypeOf('function');
  });
});
