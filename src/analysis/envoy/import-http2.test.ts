import { describe, expect, it } from 'vitest';
import { importSidecarFiles } from './import-sidecar-files.js';
import { BASE_EPOCH_US, writeEnvoyLog, type LogEvent } from './testing/envoy-log-writer.js';
import { memorySink, stagesOf, streamSpansOf, writeTempFiles } from './testing/memory-sink.js';

const ms = (value: number) => value * 1000;
const request = (t: number, stream: string): LogEvent[] => [
  {
    atUs: ms(t),
    connection: '5',
    stream,
    message: 'request headers complete (end_stream=true):',
    headers: [
      [':method', 'POST'],
      [':path', '/helloworld.Greeter/SayHello'],
      ['content-type', 'application/grpc'],
    ],
  },
];
const route = (t: number, stream: string, id: string): LogEvent[] => [
  {
    atUs: ms(t),
    connection: '5',
    stream,
    message: 'router decoding headers:',
    headers: [
      [':method', 'POST'],
      [':path', '/helloworld.Greeter/SayHello'],
      ['x-request-id', id],
    ],
  },
  { atUs: ms(t), connection: '6', message: 'creating stream' },
  { atUs: ms(t), connection: '5', stream, message: 'pool ready' },
];
const respond = (t: number, stream: string): LogEvent[] => [
  {
    atUs: ms(t),
    connection: '5',
    stream,
    message: 'upstream response headers:',
    headers: [[':status', '200']],
  },
  {
    atUs: ms(t + 1),
    connection: '5',
    stream,
    message: 'encoding headers via codec (end_stream=false):',
    headers: [[':status', '200']],
  },
  { atUs: ms(t + 2), connection: '5', stream, message: 'Codec completed encoding stream.' },
];

/**
 * One HTTP/2 connection (C5) carrying three gRPC streams to one upstream HTTP/2 connection
 * (C6), answered out of order:
 *
 *   ms   0 C5 up    1 dispatch S1 S3   4/5 routed   6 C6 writes both
 *       20 C6 reads (S3's answer) 21 S3 headers … 23 S3 done
 *       30 dispatch S7, 31 routed, 32 C6 writes
 *       40 C6 reads (S1's answer) 41 S1 headers … 43 S1 done
 *       50 C6 reads (S7's answer) 51 S7 headers … 53 S7 done
 */
const events: LogEvent[] = [
  { atUs: ms(0), connection: '5', message: 'raising connection event 2' },
  { atUs: ms(0), connection: '6', message: 'raising connection event 2' },
  { atUs: ms(1), connection: '5', message: 'dispatching 420 bytes' },
  { atUs: ms(1), connection: '5', message: 'new stream' },
  ...request(2, '1'),
  { atUs: ms(2), connection: '5', message: 'new stream' },
  ...request(3, '3'),
  ...route(4, '1', 'h2-a'),
  ...route(5, '3', 'h2-b'),
  { atUs: ms(6), connection: '6', message: 'writing 300 bytes, end_stream false' },
  { atUs: ms(20), connection: '6', message: 'dispatching 80 bytes' },
  ...respond(21, '3'),
  { atUs: ms(30), connection: '5', message: 'dispatching 140 bytes' },
  ...request(30, '7'),
  ...route(31, '7', 'h2-c'),
  { atUs: ms(32), connection: '6', message: 'writing 150 bytes, end_stream false' },
  { atUs: ms(40), connection: '6', message: 'dispatching 80 bytes' },
  ...respond(41, '1'),
  { atUs: ms(50), connection: '6', message: 'dispatching 80 bytes' },
  ...respond(51, '7'),
];

describe('envoy import, HTTP/2 with several streams on one connection', () => {
  it('gives each stream its own span and stages; only the first pays the connection', async () => {
    const sink = memorySink();
    const report = await importSidecarFiles({
      files: writeTempFiles({ 'geo.log': writeEnvoyLog(events, 'tags') }),
      sink,
    });
    expect(report).toMatchObject({ streams: 3, incompleteStreams: 0, problemCount: 0 });
    const streams = streamSpansOf(sink.spans);
    expect(streams.map((span) => span.tags?.['sidecar.stream_id'])).toEqual(['1', '3', '7']);
    expect(streams.map((span) => span.tags?.['guid:x-request-id'])).toEqual(['h2-a', 'h2-b', 'h2-c']);
    expect(new Set(streams.map((span) => span.traceId)).size).toBe(3);
    expect(streams[0]!.name).toBe('POST /helloworld.Greeter/SayHello');
    const stages = streams.map((span) =>
      stagesOf(sink.spans, span).map(([stage, start, end]) => [
        stage,
        (start - BASE_EPOCH_US) / 1000,
        (end - BASE_EPOCH_US) / 1000,
      ]),
    );
    expect(stages[0]).toEqual([
      ['connection', 0, 1],
      ['downstream-parsing', 1, 2],
      ['request-filters', 2, 4],
      ['socket-waiting', 4, 4],
      ['write', 4, 6],
      ['process-time', 6, 40],
      ['upstream-parsing', 40, 41],
      ['response-filters', 41, 43],
    ]);
    expect(stages[1]).toEqual([
      ['downstream-parsing', 1, 3],
      ['request-filters', 3, 5],
      ['socket-waiting', 5, 5],
      ['write', 5, 6],
      ['process-time', 6, 20],
      ['upstream-parsing', 20, 21],
      ['response-filters', 21, 23],
    ]);
    expect(stages[2]).toEqual([
      ['downstream-parsing', 30, 30],
      ['request-filters', 30, 31],
      ['socket-waiting', 31, 31],
      ['write', 31, 32],
      ['process-time', 32, 50],
      ['upstream-parsing', 50, 51],
      ['response-filters', 51, 53],
    ]);
  });
});
