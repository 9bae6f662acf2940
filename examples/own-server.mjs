// A function as any executable: serve HTTP on $PORT (as Knative sets it) and answer.
import http from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const greeting = process.env.GREETING ?? 'Hello';

http
  .createServer((request, response) => {
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    response.end(`${greeting} (${request.method} ${request.url})\n`);
  })
  .listen(port, '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));
