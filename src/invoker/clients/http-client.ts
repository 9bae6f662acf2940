/**
 * HTTP/1.1 client on raw sockets: every request goes to one address (the gateway,
 * `127.0.0.1:<port>` by default) with `Host` set to the endpoint's hostname. Connections
 * are kept alive and reused (one request at a time each, never pipelined, so a slow answer
 * never delays the next send: a new connection is opened when none is idle), unless
 * `newConnectionPerRequest` asks for vHive's behaviour.
 *
 * Why not `node:http`: its per-request cost (agent bookkeeping, IncomingMessage streams)
 * is several times this one's, and a load generator's own overhead caps the rates it can
 * hold on time. The request is written in one `write`; the response parser is the one the
 * gateway's upstream connections use (`http/`), its body collected whole.
 */
import net from 'node:net';
import { socketErrorKind } from './error-kind.js';
import { bufferedResponse, Http1ResponseParser, type BufferedResponse } from '../../http/index.js';
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
  /**
   * Open connections at most; beyond, requests wait for a free one (their latency from
   * the scheduled time still counts the wait). Bounds file descriptors when the target
   * stalls. @default 4096
   */
  maxConnections?: number;
}

interface Job {
  request: SendRequest;
  conn: Connection | undefined;
  settled: boolean;
  finish(outcome: SendOutcome): void;
}

interface Connection {
  socket: net.Socket;
  parser: Http1ResponseParser;
  pending: Job | undefined;
}

/** Creates an HTTP client; `close()` destroys every connection. */
export function createHttpClient(options: HttpClientOptions): TargetClient {
  const address = options.address ?? '127.0.0.1';
  const method = (options.method ?? 'GET').toUpperCase();
  const requestLine = `${method} ${options.path ?? '/'} HTTP/1.1\r\n`;
  const fresh = options.newConnectionPerRequest === true;
  const maxConnections = options.maxConnections ?? 4096;
  const idle: Connection[] = [];
  const waiting: Job[] = [];
  const all = new Set<Connection>();

  function open(): Connection {
    const socket = net.connect({ host: address, port: options.port });
    socket.setNoDelay(true);
    const conn: Connection = { socket, parser: new Http1ResponseParser(), pending: undefined };
    all.add(conn);
    socket.on('data', (data: Buffer) => {
      try {
        conn.parser.push(data);
      } catch (error) {
        fail(conn, {
          ok: false,
          status: '',
          errorKind: 'other',
          errorMessage: `bad response: ${(error as Error).message}`,
        });
        return;
      }
      // Bytes after the response (or with no request out) mean the connection is out of step.
      if (conn.parser.trailingBytes) {
        fail(conn, {
          ok: false,
          status: '',
          errorKind: 'other',
          errorMessage: 'bad response: bytes after its end',
        });
      }
    });
    socket.on('error', (error) => {
      fail(conn, {
        ok: false,
        status: '',
        errorKind: socketErrorKind(error),
        errorMessage: error.message,
      });
    });
    socket.on('close', () => {
      // A body delimited by the close ends here (and completes its request).
      conn.parser.closed();
      fail(conn, {
        ok: false,
        status: '',
        errorKind: 'other',
        errorMessage: 'connection closed before the response',
      });
    });
    return conn;
  }

  /** Removes a connection for good and fails its request, if any. */
  function fail(conn: Connection, outcome: SendOutcome): void {
    all.delete(conn);
    const at = idle.indexOf(conn);
    if (at >= 0) idle.splice(at, 1);
    conn.socket.destroy();
    const pending = conn.pending;
    conn.pending = undefined;
    pending?.finish(outcome);
  }

  function complete(conn: Connection, response: BufferedResponse): void {
    const pending = conn.pending;
    conn.pending = undefined;
    if (response.close || fresh) {
      all.delete(conn);
      conn.socket.destroy();
    } else if (all.has(conn)) {
      idle.push(conn);
    }
    // finish() below hands the freed connection to a waiting job, if any.
    if (!pending) return;
    const status = response.status;
    const body = response.body.toString('utf8');
    const fields = gatewayFields((name) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    });
    if (status >= 200 && status < 300) pending.finish({ ok: true, status: String(status), body, ...fields });
    else
      pending.finish({
        ok: false,
        status: String(status),
        errorKind: 'status',
        errorMessage: `HTTP ${status}: ${body.slice(0, 200)}`,
        body,
        ...fields,
      });
  }

  /** Writes a job's request on a connection that has nothing in flight. */
  function dispatch(job: Job, conn: Connection): void {
    conn.pending = job;
    job.conn = conn;
    const request = job.request;
    const requestMethod = request.method ?? method;
    bufferedResponse(conn.parser, requestMethod === 'HEAD', (response) => complete(conn, response));
    const line =
      request.method === undefined && request.path === undefined
        ? requestLine
        : `${requestMethod} ${request.path ?? options.path ?? '/'} HTTP/1.1\r\n`;
    let head = `${line}Host: ${request.hostname}\r\n`;
    for (const [name, value] of Object.entries(request.headers)) head += `${name}: ${value}\r\n`;
    if (fresh) head += 'Connection: close\r\n';
    if (request.body !== undefined) {
      const body = Buffer.from(request.body, 'utf8');
      if (!('content-type' in lowerKeys(request.headers))) head += 'Content-Type: application/json\r\n';
      conn.socket.write(`${head}Content-Length: ${body.length}\r\n\r\n`);
      conn.socket.write(body);
    } else {
      conn.socket.write(
        requestMethod === 'GET' || requestMethod === 'HEAD'
          ? `${head}\r\n`
          : `${head}Content-Length: 0\r\n\r\n`,
      );
    }
  }

  /** Gives a free connection (or room for a new one) to the oldest waiting job. */
  function drainQueue(): void {
    while (waiting.length > 0) {
      const conn = (!fresh && idle.pop()) || (all.size < maxConnections ? open() : undefined);
      if (!conn) return;
      dispatch(waiting.shift()!, conn);
    }
  }

  function send(request: SendRequest): Promise<SendOutcome> {
    return new Promise((resolve) => {
      const job: Job = {
        request,
        conn: undefined,
        finish: (outcome) => {
          if (job.settled) return;
          job.settled = true;
          clearTimeout(timer);
          resolve(outcome);
          drainQueue();
        },
        settled: false,
      };
      // The timeout runs from the send, queueing included.
      const timer = setTimeout(() => {
        const outcome: SendOutcome = {
          ok: false,
          status: '',
          errorKind: 'timeout',
          errorMessage: `no answer within ${options.timeoutMs} ms`,
        };
        if (job.conn) fail(job.conn, outcome);
        else {
          waiting.splice(waiting.indexOf(job), 1);
          job.finish(outcome);
        }
      }, options.timeoutMs);
      const conn = (!fresh && idle.pop()) || (all.size < maxConnections ? open() : undefined);
      if (conn) dispatch(job, conn);
      else waiting.push(job);
    });
  }

  return {
    send,
    close: () => {
      for (const conn of [...all]) conn.socket.destroy();
      all.clear();
      idle.length = 0;
      waiting.length = 0;
    },
  };
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, true> {
  const out: Record<string, true> = {};
  for (const key of Object.keys(headers)) out[key.toLowerCase()] = true;
  return out;
}
