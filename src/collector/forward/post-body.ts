/**
 * One HTTP POST of a forwarded batch over a keep-alive agent: resolves to the status and
 * `Retry-After`, or rejects on a network error or the timeout. The thin I/O shell of the
 * forwarder.
 */
import http from 'node:http';
import https from 'node:https';

/** What the backend answered. */
export interface PostResult {
  status: number;
  retryAfter: string | undefined;
  /** The first bytes of the answer, for the log when a batch is dropped. */
  bodyStart: string;
}

/** Sends `body` to `url`; `agent` must match the URL's scheme. */
export function postBody(
  url: URL,
  body: string,
  contentType: string,
  agent: http.Agent,
  timeoutMs: number,
): Promise<PostResult> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        let bodyStart = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (bodyStart.length < 200) bodyStart += chunk.slice(0, 200 - bodyStart.length);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], bodyStart }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
