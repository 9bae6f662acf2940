import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { testContext } from './testing/test-context.js';
import type { Span } from '../spans/index.js';
import { call, defineFunction, targetHost, traced } from './index.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A loopback server standing in for the gateway: it echoes what it received. */
async function echoGateway(): Promise<string> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

describe('call', () => {
  it.each([
    ['hello', 'hello.default.localhost'],
    ['hello-0.lab', 'hello-0.lab.localhost'],
  ])('%s routes by Host %s', (target, host) => {
    expect(targetHost(target)).toBe(host);
  });

  it.each([['Hello'], ['a.b.c'], ['']])('refuses target %j', (target) => {
    expect(() => targetHost(target)).toThrow(UserError);
  });

  it('refuses to guess a gateway', async () => {
    const saved = process.env.HIVELAB_GATEWAY_URL;
    delete process.env.HIVELAB_GATEWAY_URL;
    try {
      await expect(call('hello')).rejects.toThrow(/HIVELAB_GATEWAY_URL/);
    } finally {
      if (saved !== undefined) process.env.HIVELAB_GATEWAY_URL = saved;
    }
  });

  it('sends Host, body and the trace context (W3C + B3) of the enclosing traced span', async () => {
    const gatewayUrl = await echoGateway();
    const spans: Span[] = [];
    const sink = { report: (span: Span) => spans.push(span) };
    const step = traced(
      'step',
      () => call('pyaes-0.lab', { gatewayUrl, path: '/enc?x=1', body: 'plain', sink }),
      { sink },
    );
    const fn = defineFunction({ fetch: async () => step() });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const response = await fn.fetch!(
      new Request('http://x/'),
      testContext({ traceHeaders: { traceparent }, functionName: 'caller' }),
    );
    const echo = (await response.json()) as Echo;
    expect(echo).toMatchObject({ method: 'POST', url: '/enc?x=1', body: 'plain' });
    expect(echo.headers.host).toBe('pyaes-0.lab.localhost');
    const [clientSpan, stepSpan] = spans;
    expect(stepSpan?.parentId).toBe('b7ad6b7169203331');
    expect(clientSpan).toMatchObject({ kind: 'CLIENT', parentId: stepSpan?.id, name: 'call pyaes-0.lab' });
    expect(clientSpan?.tags?.['http.status_code']).toBe('200');
    expect(echo.headers.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${clientSpan?.id}-01`);
    expect(echo.headers['x-b3-traceid']).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(echo.headers['x-b3-spanid']).toBe(clientSpan?.id);
    expect(echo.headers['x-b3-parentspanid']).toBe(stepSpan?.id);
  });
});
