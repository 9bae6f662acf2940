import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSidecarFiles } from './import-sidecar-files.js';
import { BASE_EPOCH_US, writeEnvoyLog, type LogFormat } from './testing/envoy-log-writer.js';
import { memorySink, stagesOf, streamSpansOf, writeTempFiles } from './testing/memory-sink.js';
import { http1Request, http1Stages } from './testing/sidecar-scenarios.js';

const EXCERPT = fileURLToPath(new URL('./testing/fixtures/envoy-1.32-trace-excerpt.log', import.meta.url));
const at = (time: string) => Date.parse(`2024-12-09T11:23:${time}Z`) * 1000;
const rel = (stages: Array<[string, number, number]>) =>
  stages.map(([stage, start, end]) => [stage, start - BASE_EPOCH_US, end - BASE_EPOCH_US]);

async function importLines(files: Record<string, readonly string[]>, service?: string) {
  const sink = memorySink();
  const report = await importSidecarFiles({
    files: writeTempFiles(files),
    sink,
    ...(service !== undefined ? { service } : {}),
  });
  return { report, spans: sink.spans, closed: sink.closed };
}

describe('envoy import of the real Envoy 1.3x excerpt', () => {
  it('gives one stream span with its stages, request id and status', async () => {
    const { report, spans } = await importLines(
      { 'workload-1.log': readFileSync(EXCERPT, 'utf8').split('\n') },
      'workload-1',
    );
    expect(report).toMatchObject({ streams: 1, incompleteStreams: 0, problemCount: 0 });
    const [stream, ...rest] = streamSpansOf(spans);
    expect(rest).toHaveLength(0);
    expect(stream).toMatchObject({
      traceId: '4512d3197fb849a9a314eb5769e3c674',
      name: 'GET /get',
      kind: 'SERVER',
      timestamp: at('19.592'),
      duration: at('20.867') - at('19.592'),
      localEndpoint: { serviceName: 'workload-1' },
      tags: {
        'guid:x-request-id': '4512d319-7fb8-49a9-a314-eb5769e3c674',
        'http.method': 'GET',
        'http.path': '/get',
        'http.status_code': '200',
        upstream_cluster: 'service_workload_2',
        'sidecar.connection_id': '0',
        'sidecar.stream_id': '12723980872226558377',
      },
    });
    expect(stream!.parentId).toBeUndefined();
    expect(stagesOf(spans, stream!)).toEqual([
      ['connection', at('19.592'), at('19.592')],
      ['downstream-parsing', at('19.592'), at('19.592')],
      ['request-filters', at('19.592'), at('19.592')],
      ['socket-waiting', at('19.592'), at('19.597')],
      ['write', at('19.597'), at('19.598')],
      ['process-time', at('19.598'), at('20.864')],
      ['read', at('20.864'), at('20.864')],
      ['upstream-parsing', at('20.864'), at('20.865')],
      ['response-filters', at('20.865'), at('20.867')],
    ]);
  });
});

describe.each<LogFormat>(['tags', 'old', 'istio'])('envoy import, %s prefix', (format) => {
  it('an HTTP/1.1 request gives every stage at its time', async () => {
    const events = http1Request({
      downstream: '3',
      stream: '77',
      upstream: '4',
      requestId: 'r-1',
      startMs: 10,
      processMs: 40,
    });
    const { spans, report } = await importLines({
      'frontend-7d9f8c6b5-x2x7k.log': writeEnvoyLog(events, format),
    });
    expect(report.problemCount).toBe(0);
    const [stream] = streamSpansOf(spans);
    expect(stream?.localEndpoint?.serviceName).toBe('frontend');
    expect(rel(stagesOf(spans, stream!))).toEqual(http1Stages(10, 40));
  });

  it('two sidecars of one call without trace context line up in one trace, server side under client side', async () => {
    const client = http1Request({
      downstream: '1',
      stream: '11',
      upstream: '2',
      requestId: 'abc-1',
      startMs: 0,
      processMs: 30,
    });
    // The server-side sidecar gets the request once the client side has written it (8 ms).
    const server = http1Request({
      downstream: '5',
      stream: '55',
      upstream: '6',
      requestId: 'abc-1',
      startMs: 9,
      processMs: 5,
    });
    const other = http1Request({
      downstream: '7',
      stream: '77',
      upstream: '8',
      requestId: 'zzz-2',
      startMs: 100,
      processMs: 1,
    });
    const { spans } = await importLines({
      'frontend.log': writeEnvoyLog([...client, ...other], format),
      'search.log': writeEnvoyLog(server, format),
    });
    const streams = streamSpansOf(spans);
    expect(streams.map((span) => span.localEndpoint?.serviceName)).toEqual([
      'frontend',
      'search',
      'frontend',
    ]);
    const [clientSpan, serverSpan, otherSpan] = streams;
    expect(serverSpan!.traceId).toBe(clientSpan!.traceId);
    expect(serverSpan!.parentId).toBe(clientSpan!.id);
    expect(clientSpan!.parentId).toBeUndefined();
    expect(otherSpan!.traceId).not.toBe(clientSpan!.traceId);
    expect(rel(stagesOf(spans, serverSpan!))).toEqual(http1Stages(9, 5));
  });

  it('joins the trace context of the header dump: B3 received, Envoy forwards its own span', async () => {
    const traceId = '463ac35c9f6413ad48485a3953bb6124';
    const events = http1Request({
      downstream: '1',
      stream: '2',
      upstream: '3',
      requestId: 'with-b3',
      startMs: 0,
      processMs: 3,
      received: [
        ['x-b3-traceid', traceId],
        ['x-b3-spanid', 'a2fb4a1d1a96d312'],
        ['x-b3-sampled', '1'],
      ],
      forwarded: [
        ['x-b3-traceid', traceId],
        ['x-b3-spanid', '0020000000000001'],
        ['x-b3-parentspanid', 'a2fb4a1d1a96d312'],
        ['x-b3-sampled', '1'],
      ],
    });
    const { spans } = await importLines({ 'a.log': writeEnvoyLog(events, format) });
    const [stream] = streamSpansOf(spans);
    expect(stream).toMatchObject({ traceId, id: '0020000000000001', parentId: 'a2fb4a1d1a96d312' });
    expect(spans.filter((span) => span.parentId === stream!.id)).toHaveLength(9);
    expect(spans.every((span) => span.traceId === traceId)).toBe(true);
  });

  it('joins a W3C traceparent received and forwarded unchanged, under the caller', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const events = http1Request({
      downstream: '1',
      stream: '2',
      upstream: '3',
      requestId: 'with-w3c',
      startMs: 0,
      processMs: 3,
      received: [['traceparent', traceparent]],
    });
    const { spans } = await importLines({ 'a.log': writeEnvoyLog(events, format) });
    const [stream] = streamSpansOf(spans);
    expect(stream).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentId: 'b7ad6b7169203331',
    });
    expect(stream!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(stream!.id).not.toBe('b7ad6b7169203331');
  });
});

describe('envoy import of bad input', () => {
  it('reports a truncated file by file:line and still emits what it read, marked incomplete', async () => {
    const lines = writeEnvoyLog(
      http1Request({
        downstream: '1',
        stream: '2',
        upstream: '3',
        requestId: 'cut',
        startMs: 0,
        processMs: 3,
      }),
      'tags',
    );
    const cut = lines.findIndex((line) => line.includes('upstream response headers')) + 1;
    const { report, spans, closed } = await importLines({ 'cut.log': lines.slice(0, cut + 1) });
    expect(closed).toBe(true);
    expect(report.incompleteStreams).toBe(1);
    expect(report.problems).toEqual([
      {
        file: expect.stringMatching(/cut\.log$/),
        line: cut,
        reason: expect.stringContaining('stream C1/S2 ends before'),
      },
    ]);
    const [stream] = streamSpansOf(spans);
    expect(stream!.tags?.['sidecar.incomplete']).toBe('true');
    expect(stagesOf(spans, stream!).map(([stage]) => stage)).toEqual([
      'connection',
      'downstream-parsing',
      'request-filters',
      'socket-waiting',
      'write',
      'process-time',
      'read',
      'upstream-parsing',
    ]);
  });

  it('counts garbage lines by file:line and keeps going', async () => {
    const lines = writeEnvoyLog(
      http1Request({ downstream: '1', stream: '2', upstream: '3', requestId: 'g', startMs: 0, processMs: 3 }),
      'old',
    );
    const withGarbage = [
      '\u0000\u0001binary junk',
      ...lines.slice(0, 5),
      'this is not envoy',
      "'stray', 'header'",
      ...lines.slice(5),
    ];
    const { report, spans } = await importLines({ 'g.log': withGarbage });
    expect(report.problemCount).toBe(3);
    expect(report.problems.map((problem) => problem.line)).toEqual([1, 7, 8]);
    expect(report.problems[1]!.reason).toContain('unparseable line');
    expect(streamSpansOf(spans)).toHaveLength(1);
  });

  it('reads an empty file beside a good one', async () => {
    const lines = writeEnvoyLog(
      http1Request({ downstream: '1', stream: '2', upstream: '3', requestId: 'n', startMs: 0, processMs: 3 }),
      'tags',
    );
    const { report } = await importLines({ 'empty.log': [], 'no-newline.log': lines });
    expect(report).toMatchObject({ files: 2, streams: 1, problemCount: 0 });
  });
});
