/** One GET on a fresh connection (no agent), resolved with its status once the body has ended. */
import http from 'node:http';

export function getOnce(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
  });
}
