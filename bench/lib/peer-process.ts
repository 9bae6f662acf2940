/**
 * A peer proxy (http-proxy-peer.ts, h2-proxy-peer.ts) in a process of its own, as the
 * gateway of `hivelab up` is a process apart from its client and from the instances. The
 * child is the bench's own bundle run again with `HIVELAB_BENCH_PEER=<http|h2>:<upstream
 * port>`: it starts that proxy and prints its port on stdout. `runPeerChild` must be
 * called before the bench's own main.
 */
import { startH2Proxy } from './h2-proxy-peer.js';
import { startHttpProxy } from './http-proxy-peer.js';

export const PEER_ENV = 'HIVELAB_BENCH_PEER';

export type PeerKind = 'http' | 'h2';

/** In the child: starts the peer the environment names. True when this is the child. */
export function runPeerChild(): boolean {
  const wanted = /^(http|h2):(\d+)$/.exec(process.env[PEER_ENV] ?? '');
  if (!wanted) return false;
  const upstreamPort = Number(wanted[2]);
  const started = wanted[1] === 'h2' ? startH2Proxy(upstreamPort) : startHttpProxy(upstreamPort);
  started.then(
    (peer) => console.log(peer.port),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
  return true;
}

/** The environment that makes `script` (this bundle) run as the `kind` peer of `upstreamPort`. */
export function peerEnv(kind: PeerKind, upstreamPort: number): NodeJS.ProcessEnv {
  return { ...process.env, [PEER_ENV]: `${kind}:${upstreamPort}` };
}
