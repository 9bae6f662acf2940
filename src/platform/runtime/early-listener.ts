/**
 * The port of a prewarmed generic runtime, listening from the time it is pooled, before it
 * knows its function or even its protocol: connections that arrive before it is
 * specialised are held untouched (not read) and handed to the function's server once it
 * exists, with every later one. The gateway can then open its connection to the instance
 * (TCP, and for h2c the HTTP/2 session) while the runtime is being specialised rather than
 * after it reported ready, and the specialisation skips a free-port search and a listen.
 * Nothing is answered before the server exists: the gateway sends its request once the
 * runtime reported ready, and a request that came sooner waits in the socket's buffer.
 * (Not `pauseOnConnect`: node:http2's server does not start reading a socket accepted so;
 * a held socket reads into its buffer, with no `data` listener, and both servers take the
 * buffered bytes over.)
 */
import net from 'node:net';
import type { Socket } from 'node:net';

export interface EarlyListener {
  readonly port: number;
  /** From now on each connection goes to `accept`, the held ones first. */
  handOver(accept: (socket: Socket) => void): void;
  /** Stops listening and drops the connections still held. */
  close(): Promise<void>;
}

/** Listens on an ephemeral loopback port and holds what connects until `handOver`. */
export async function listenEarly(): Promise<EarlyListener> {
  const held = new Set<Socket>();
  let accept: ((socket: Socket) => void) | undefined;
  // noDelay as node:http's own server sets it on what it accepts (its default): the
  // function's server never accepts these sockets itself, so it cannot set it for them.
  const server = net.createServer({ noDelay: true }, (socket) => {
    if (accept) {
      accept(socket);
      return;
    }
    held.add(socket);
    // Only `error` and `close`: a `data` listener would consume what the server must parse.
    socket.on('error', () => socket.destroy());
    socket.once('close', () => held.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    handOver(to) {
      accept = to;
      for (const socket of held) {
        socket.removeAllListeners('error');
        socket.removeAllListeners('close');
        to(socket);
      }
      held.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        held.clear();
        server.close(() => resolve());
      }),
  };
}
