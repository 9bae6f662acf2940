/**
 * Servers for container tests that need nothing but Node's own modules, so they run in an
 * image holding only the Node binary: an HTTP server and a gRPC `helloworld.Greeter`
 * server (gRPC framing and the two one-field messages written by hand over node:http2),
 * each on a port it hard-codes unless its first argument names another.
 */

/** HTTP on 8080 (or argv[2]): `/env`, `/argv`, `/crash`, `/grow`, `/cpu?ms=`, else a hello naming the host. */
export const HTTP_TEST_SERVER = `
const http = require('node:http');
const port = Number(process.argv[2] ?? 8080);
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/env') return res.end(JSON.stringify(process.env));
  if (url.pathname === '/argv') return res.end(JSON.stringify(process.argv.slice(2)));
  if (url.pathname === '/crash') { console.error('Error: boom in the container'); process.exit(3); }
  if (url.pathname === '/grow') { const keep = []; setInterval(() => { for (let i = 0; i < 20; i++) keep.push(Buffer.alloc(1 << 20, 1)); }, 5); return; }
  if (url.pathname === '/cpu') { const end = Date.now() + Number(url.searchParams.get('ms') ?? 100); while (Date.now() < end); return res.end('done'); }
  res.end('hello from ' + require('node:os').hostname());
});
server.listen(port, process.env.LISTEN_HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** A sidecar in front: serves 8080 and relays each GET to the pod's other container on 127.0.0.1:9000. */
export const RELAY_TEST_SERVER = `
const http = require('node:http');
http.createServer((req, res) => {
  http.get({ host: '127.0.0.1', port: 9000, path: req.url }, (up) => {
    let body = '';
    up.on('data', (c) => (body += c));
    up.on('end', () => res.end('relayed: ' + body));
  }).on('error', (e) => { res.statusCode = 502; res.end(String(e)); });
}).listen(8080, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * For probe tests, HTTP on $PORT: `/ready` answers 503 until READY_AFTER_MS after the start,
 * then 200; `/livez` answers 200 for LIVE_FOR_MS after the start (for ever when unset), then
 * 500; anything else names the pod and the process. With PROBE_PORT, a TCP listener there on
 * the pod's loopback.
 */
export const PROBE_TEST_SERVER = `
const http = require('node:http');
const net = require('node:net');
const startedAt = Date.now();
const readyAfterMs = Number(process.env.READY_AFTER_MS ?? 0);
const liveForMs = process.env.LIVE_FOR_MS ? Number(process.env.LIVE_FOR_MS) : Infinity;
http.createServer((req, res) => {
  const ageMs = Date.now() - startedAt;
  if (req.url === '/ready') { res.statusCode = ageMs >= readyAfterMs ? 200 : 503; return res.end(); }
  if (req.url === '/livez') { res.statusCode = ageMs < liveForMs ? 200 : 500; return res.end(); }
  res.end('served by ' + require('node:os').hostname() + ' pid ' + process.pid);
}).listen(Number(process.env.PORT), '0.0.0.0');
if (process.env.PROBE_PORT) net.createServer((s) => s.end()).listen(Number(process.env.PROBE_PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * gRPC helloworld.Greeter/SayHello on [::]:50051 (vSwarm's helloworld binds the same), and
 * grpc.health.v1.Health/Check answering NOT_SERVING until READY_AFTER_MS after the start,
 * then SERVING.
 */
export const GRPC_TEST_SERVER = `
const http2 = require('node:http2');
function field1(buf) {
  // HelloRequest: field 1 (tag 0x0a) is the name; skip other fields.
  let i = 0;
  while (i < buf.length) {
    const tag = buf[i++]; let len = 0, shift = 0, b;
    do { b = buf[i++]; len |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    if (tag === 0x0a) return buf.subarray(i, i + len).toString('utf8');
    i += len;
  }
  return '';
}
function frame(text) {
  const body = Buffer.from(text, 'utf8');
  const msg = Buffer.concat([Buffer.from([0x0a, body.length]), body]);
  const head = Buffer.alloc(5); head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
}
const startedAt = Date.now();
const server = http2.createServer();
server.on('stream', (stream, headers) => {
  if (headers[':path'] === '/grpc.health.v1.Health/Check') {
    stream.resume();
    // HealthCheckResponse { status (field 1) = SERVING (1) | NOT_SERVING (2) }
    const serving = Date.now() - startedAt >= Number(process.env.READY_AFTER_MS ?? 0);
    const reply = Buffer.from([0, 0, 0, 0, 2, 0x08, serving ? 1 : 2]);
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    return stream.end(reply);
  }
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  stream.on('end', () => {
    const name = field1(Buffer.concat(chunks).subarray(5));
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(frame('Hello, ' + name + ' from ' + require('node:os').hostname()));
  });
});
server.listen(Number(process.argv[2] ?? 50051), '::');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;
