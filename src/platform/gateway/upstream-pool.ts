/**
 * Keep-alive HTTP/1.1 connections to the instances' loopback ports, one request at a time
 * each (never pipelined). Replaces node:http's Agent + ClientRequest on the warm path: those
 * cost about as much CPU per proxied request as the gateway's own server side (agent
 * bookkeeping, an OutgoingMessage and an IncomingMessage stream, header validation of
 * headers node:http already validated on the way in).
 *
 * Each socket gets its listeners once, when it opens; they dispatch to the exchange that
 * currently holds the connection, so a request adds no listeners and no closures.
 */
import net from 'node:net';
import { Http1ResponseParser } from '../../http/index.js';

/** What a connection reports to the request that currently holds it. */
export interface ConnectionUser {
  onData(data: Buffer): void;
  onDrain(): void;
  /** The socket closed (after an error, when there was one). */
  onClose(error: Error | undefined): void;
}

export interface UpstreamConnection {
  readonly socket: net.Socket;
  readonly port: number;
  readonly parser: Http1ResponseParser;
  /**
   * True once it waited open in the pool before the current request: kept alive after an
   * earlier one, or opened ahead of its first (`preconnect`). The server may have closed it
   * meanwhile.
   */
  reused: boolean;
  user: ConnectionUser | undefined;
  /** performance.now() after which the server may have closed it (its keep-alive hint). */
  staleAfterMs: number;
  error: Error | undefined;
}

export interface UpstreamPoolOptions {
  /** Idle connections kept per port; more are closed. @default 256 */
  maxIdlePerPort?: number;
}

/** Without a Keep-Alive hint from the server, an idle connection is trusted this long. */
const DEFAULT_IDLE_TRUST_MS = 4000;
/** Node's own agent stops reusing a connection this long before the server's hint runs out. */
const HINT_MARGIN_MS = 1000;
/**
 * A connection opened ahead of its first request is trusted this long: half of node:http's
 * default `headersTimeout` (60 s), after which a server drops a connection that sent nothing.
 */
const PREOPENED_TRUST_MS = 30_000;

export class UpstreamPool {
  private readonly idle = new Map<number, UpstreamConnection[]>();
  private readonly open = new Set<UpstreamConnection>();
  private readonly maxIdlePerPort: number;
  private closed = false;

  constructor(options: UpstreamPoolOptions = {}) {
    this.maxIdlePerPort = options.maxIdlePerPort ?? 256;
  }

  /** Connections open, idle or busy. */
  get size(): number {
    return this.open.size;
  }

  /**
   * A connection to `127.0.0.1:port` for `user`: the most recently used idle one that the
   * server has not had reason to close yet, or a new one (`fresh` forces a new one).
   */
  acquire(port: number, user: ConnectionUser, fresh = false): UpstreamConnection {
    if (this.closed) throw new Error('the gateway is shutting down');
    const idle = fresh ? undefined : this.idle.get(port);
    const now = performance.now();
    while (idle && idle.length > 0) {
      const conn = idle.pop()!;
      if (conn.staleAfterMs > now && !conn.socket.destroyed) {
        conn.user = user;
        return conn;
      }
      conn.socket.destroy();
    }
    const conn = this.connect(port);
    conn.user = user;
    return conn;
  }

  /**
   * Opens a connection to `port` ahead of its first request and keeps it idle: for an
   * instance that takes connections before it is ready, so that its first request does not
   * wait for the connect. Nothing is sent on it until a request acquires it.
   */
  preconnect(port: number): void {
    if (this.closed) return;
    const conn = this.connect(port);
    conn.staleAfterMs = performance.now() + PREOPENED_TRUST_MS;
    this.park(conn);
  }

  /** Returns a connection whose request and response are both complete. */
  release(conn: UpstreamConnection): void {
    conn.user = undefined;
    if (this.closed || conn.socket.destroyed) return;
    const parser = conn.parser;
    if (!parser.keepAlive || parser.trailingBytes) {
      conn.socket.destroy();
      return;
    }
    conn.staleAfterMs =
      performance.now() +
      (parser.keepAliveHintMs === undefined
        ? DEFAULT_IDLE_TRUST_MS
        : Math.max(0, parser.keepAliveHintMs - HINT_MARGIN_MS));
    this.park(conn);
  }

  private park(conn: UpstreamConnection): void {
    conn.reused = true;
    let idle = this.idle.get(conn.port);
    if (!idle) {
      idle = [];
      this.idle.set(conn.port, idle);
    }
    if (idle.length >= this.maxIdlePerPort) conn.socket.destroy();
    else idle.push(conn);
  }

  /** Closes every connection; requests in flight fail. */
  destroy(): void {
    this.closed = true;
    for (const conn of this.open) conn.socket.destroy();
    this.idle.clear();
  }

  private connect(port: number): UpstreamConnection {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    const conn: UpstreamConnection = {
      socket,
      port,
      parser: new Http1ResponseParser(),
      reused: false,
      user: undefined,
      staleAfterMs: 0,
      error: undefined,
    };
    this.open.add(conn);
    socket.on('data', (data: Buffer) => {
      if (conn.user) conn.user.onData(data);
      else socket.destroy(); // bytes nobody asked for: the connection is out of step
    });
    socket.on('drain', () => conn.user?.onDrain());
    socket.on('error', (error) => {
      conn.error = error;
    });
    socket.on('close', () => {
      this.open.delete(conn);
      this.forgetIdle(conn);
      const user = conn.user;
      conn.user = undefined;
      user?.onClose(conn.error);
    });
    return conn;
  }

  private forgetIdle(conn: UpstreamConnection): void {
    const idle = this.idle.get(conn.port);
    if (!idle) return;
    const at = idle.indexOf(conn);
    if (at >= 0) idle.splice(at, 1);
    if (idle.length === 0) this.idle.delete(conn.port);
  }
}
