/**
 * One TCP port for HTTP/1.1 and cleartext HTTP/2 (gRPC): the first bytes of each
 * connection decide. Sockets that start with the HTTP/2 preface go to an `http2` server,
 * the rest to an `http` server; both call the same request handler.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { GatewayRequest, GatewayResponse } from './server-types.js';

const PREFACE_START = Buffer.from('PRI * HTTP/2.0');

export interface DualProtocolServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` (0 = ephemeral) and serves both protocols with `handler`. */
export async function listenDualProtocol(
  host: string,
  port: number,
  handler: (req: GatewayRequest, res: GatewayResponse) => void,
): Promise<DualProtocolServer> {
  const h1 = http.createServer({ keepAliveTimeout: 65_000 }, handler);
  const h2 = http2.createServer(
    {},
    handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  );
  const sockets = new Set<Socket>();
  const tcp = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    sniff(socket, (isH2) => {
      if (isH2) {
        h2.emit('connection', socket);
      } else {
        h1.emit('connection', socket);
        // The http server reads through the stream only once it flows again.
        socket.resume();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  return {
    port: (tcp.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        h1.closeIdleConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Reads until the first bytes tell HTTP/2's preface from an HTTP/1.x request line. */
function sniff(socket: Socket, decide: (isH2: boolean) => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const n = Math.min(buffered.length, PREFACE_START.length);
    const matches = buffered.subarray(0, n).equals(PREFACE_START.subarray(0, n));
    if (matches && n < PREFACE_START.length) return; // too short to tell yet
    socket.off('data', onData);
    socket.off('error', onError);
    socket.pause();
    socket.unshift(buffered);
    decide(matches);
  };
  const onError = (): void => {
    socket.destroy();
  };
  socket.on('data', onData);
  socket.on('error', onError);
}
