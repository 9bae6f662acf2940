/**
 * HTTP/1.1 client: every request goes to one address (the gateway, `127.0.0.1:<port>` by
 * default) with `Host` set to the endpoint's hostname. A keep-alive agent reuses
 * connections unless `newConnectionPerRequest` asks for vHive's behaviour.
 */
import http from 'node:http';
import { socketErrorKind } from './error-kind.js';
import { gatewayFields, type SendOutcome, type SendRequest, type TargetClient } from './target-client.js';

export interface HttpClientOptions {
  /** @default '127.0.0.1' */
  address?: string;
  port: number;
  /** Per request, from send to the last byte of the response. */
  timeoutMs: number;
  /** @default 'GET' */
  method?: string;
  /** @default '/' */
  path?: string;
  /** @default false */
  newConnectionPerRequest?: boolean;
}

/** Creates an HTTP client; `close()` destroys the pooled sockets. */
export function createHttpClient(options: HttpClientOptions): TargetClient {
  const agent = options.newConnectionPerRequest
    ? new http.Agent({ keepAlive: false })
    : new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const address = options.address ?? '127.0.0.1';

  function send(request: SendRequest): Promise<SendOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: SendOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const headers: Record<string, string> = { ...request.headers, host: request.hostname };
      if (request.body !== undefined) {
        headers['content-length'] = String(Buffer.byteLength(request.body));
        headers['content-type'] ??= 'application/json';
      }
      const req = http.request({ host: address, port: options.port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => finish(failure('other', String(res.statusCode ?? ''), error)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const fields = gatewayFields((name) => headerValue(res.headers[name]));
          const body = Buffer.concat(chunks).toString('utf8');
          if (status >= 200 && status < 300) finish({ ok: true, status: String(status), body, ...fields });
          else
            finish({
              ok: false,
              status: String(status),
              errorKind: 'status',
              errorMessage: `HTTP ${status}: ${body.slice(0, 200)}`,
              body,
              ...fields,
            });
        });
      });
      const timer = setTimeout(() => {
        finish({
          ok: false,
          status: '',
          errorKind: 'timeout',
          errorMessage: `no answer within ${options.timeoutMs} ms`,
        });
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (error) => finish(failure(socketErrorKind(error), '', error)));
      req.end(request.body);
    });
  }

  return { send, close: () => agent.destroy() };
}

function failure(kind: SendOutcome['errorKind'], status: string, error: Error): SendOutcome {
  return { ok: false, status, errorKind: kind, errorMessage: error.message };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
