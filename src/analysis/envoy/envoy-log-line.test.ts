import { describe, expect, it } from 'vitest';
import { parseEnvoyLogLine, parseHeaderDumpLine } from './envoy-log-line.js';

const at = (iso: string, extraUs = 0) => Date.parse(iso) * 1000 + extraUs;

describe('parseEnvoyLogLine', () => {
  it.each([
    [
      'Envoy >= 1.27 tags with a stream',
      '[2024-12-09 11:23:19.592][11970][debug][http] [source/common/http/conn_manager_impl.cc:1183] [Tags: "ConnectionId":"0","StreamId":"12723980872226558377"] request headers complete (end_stream=true):',
      {
        timeUs: at('2024-12-09T11:23:19.592Z'),
        thread: '11970',
        connectionId: '0',
        streamId: '12723980872226558377',
        message: 'request headers complete (end_stream=true):',
      },
    ],
    [
      'Envoy >= 1.27 tags, connection only',
      '[2024-12-09 11:23:19.592][11970][trace][http] [source/common/http/http1/codec_impl.cc:645] [Tags: "ConnectionId":"0"] parsing 111 bytes',
      {
        timeUs: at('2024-12-09T11:23:19.592Z'),
        thread: '11970',
        connectionId: '0',
        message: 'parsing 111 bytes',
      },
    ],
    [
      'Envoy < 1.27',
      '[2021-03-01 08:00:00.001][25][debug][router] [external/envoy/source/common/router/router.cc:425] [C12][S345] router decoding headers:',
      {
        timeUs: at('2021-03-01T08:00:00.001Z'),
        thread: '25',
        connectionId: '12',
        streamId: '345',
        message: 'router decoding headers:',
      },
    ],
    [
      'Envoy < 1.27, no file part, connection only',
      '[2021-03-01 08:00:00.001][25][trace][connection] [C12] writing 10 bytes, end_stream false',
      {
        timeUs: at('2021-03-01T08:00:00.001Z'),
        thread: '25',
        connectionId: '12',
        message: 'writing 10 bytes, end_stream false',
      },
    ],
    [
      "Istio's proxy log, microseconds and thread at the end",
      '2024-01-04T15:04:30.346845Z\tdebug\tenvoy http external/envoy/source/common/http/conn_manager_impl.cc:1772\t[C8298][S1105] Codec completed encoding stream.\tthread=25',
      {
        timeUs: at('2024-01-04T15:04:30.346Z', 845),
        thread: '25',
        connectionId: '8298',
        streamId: '1105',
        message: 'Codec completed encoding stream.',
      },
    ],
    [
      'kubectl logs --timestamps before an Envoy line',
      '2024-12-09T11:23:19.592123456Z [2024-12-09 11:23:19.592][7][debug][pool] [source/common/conn_pool/conn_pool_base.cc:182] [Tags: "ConnectionId":"1"] creating stream',
      { timeUs: at('2024-12-09T11:23:19.592Z'), thread: '7', connectionId: '1', message: 'creating stream' },
    ],
    [
      'a line with no ids',
      '[2024-12-09 11:23:19.591][11970][trace][misc] [source/common/network/tcp_listener_impl.cc:114] TcpListener accepted 1 new connections.',
      {
        timeUs: at('2024-12-09T11:23:19.591Z'),
        thread: '11970',
        message: 'TcpListener accepted 1 new connections.',
      },
    ],
  ])('%s', (_name, line, expected) => {
    expect(parseEnvoyLogLine(line)).toEqual(expected);
  });

  it.each([
    ["':path', '/get'"],
    [''],
    ['garbage 123'],
    ['[not a timestamp][1][debug][x] hello'],
    ['2024-13-45 bad'],
  ])('gives undefined for a line without a log prefix: %j', (line) => {
    expect(parseEnvoyLogLine(line)).toBeUndefined();
  });
});

describe('parseHeaderDumpLine', () => {
  it('reads a key and a value with commas and quotes inside', () => {
    expect(parseHeaderDumpLine("'Date', 'Mon, 09 Dec 2024 11:23:20 GMT'")).toEqual([
      'date',
      'Mon, 09 Dec 2024 11:23:20 GMT',
    ]);
    expect(parseHeaderDumpLine("'x', 'it's'")).toEqual(['x', "it's"]);
    expect(parseHeaderDumpLine('key: value')).toBeUndefined();
  });
});
