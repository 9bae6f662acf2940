/**
 * Readiness probe for executables hivelab did not write: a TCP connect, then for HTTP/1.1
 * a `GET /` that gets any response (any status: the function answered), for h2c an
 * HTTP/2 connection that answers a PING. Retried until it passes or is cancelled.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';

function tcpConnect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

function httpGet(port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve();
    });
    req.once('timeout', () => req.destroy(new Error('probe timed out')));
    req.once('error', reject);
  });
}

function h2Ping(port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error('probe timed out'));
    }, timeoutMs);
    session.once('error', (error: Error) => {
      clearTimeout(timer);
      session.destroy();
      reject(error);
    });
    session.once('connect', () => {
      session.ping((error) => {
        clearTimeout(timer);
        session.close();
        if (error) reject(error);
        else resolve();
      });
    });
  });
}

/** One probe attempt. */
export async function probeOnce(port: number, protocol: 'http1' | 'h2c', timeoutMs = 1000): Promise<void> {
  await tcpConnect(port);
  if (protocol === 'http1') await httpGet(port, timeoutMs);
  else await h2Ping(port, timeoutMs);
}

/** For this long a starting instance is probed every `intervalMs`; slower starters back off. */
const FAST_PROBING_MS = 2000;

/**
 * Probes every `intervalMs` for the first 2 s, then backing off to 50 ms, until success;
 * resolves at success, or rejects once `isCancelled()` says the instance is gone. Why a
 * steady interval first: a doubling one (2, 4, … 50 ms) woke up to 50 ms after the
 * instance listened, which for a ~100 ms container start was a third of a cold start; a
 * refused connect on loopback costs a few µs of CPU.
 */
export async function probeUntilReady(
  port: number,
  protocol: 'http1' | 'h2c',
  isCancelled: () => boolean,
  intervalMs = 2,
): Promise<void> {
  const startedAt = performance.now();
  let wait = intervalMs;
  for (;;) {
    if (isCancelled()) throw new Error('instance exited before it was ready');
    try {
      await probeOnce(port, protocol);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, wait));
      if (performance.now() - startedAt > FAST_PROBING_MS) wait = Math.min(50, wait * 2);
    }
  }
}
