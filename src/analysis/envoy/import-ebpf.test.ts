import { describe, expect, it } from 'vitest';
import { parseEbpfLine } from './ebpf-record.js';
import { importSidecarFiles } from './import-sidecar-files.js';
import { memorySink, stagesOf, streamSpansOf, writeTempFiles } from './testing/memory-sink.js';

/** 2025-03-01T12:00:00Z in UTC microseconds, and the same instant on the TAI clock in ns. */
const UTC_US = Date.UTC(2025, 2, 1, 12) * 1000;
const TAI_NS = (UTC_US + 37_000_000) * 1000;
const ns = (offsetUs: number) => TAI_NS + offsetUs * 1000;

const jsonRecord = (requestId: string, startUs: number) =>
  JSON.stringify({
    'X-Request-ID': requestId,
    'Time HTTP Start': ns(startUs),
    'Time Request Filter Start': ns(startUs + 40),
    'Time Process Start': ns(startUs + 100),
    'Time Response Filter Start': ns(startUs + 900),
    'Time End': ns(startUs + 1000),
    'Response Parse Start': ns(startUs + 850),
  });

describe('envoy import of eBPF tracer records', () => {
  it('reads the JSON form, TAI timestamps moved to UTC by the default 37 s', async () => {
    const sink = memorySink();
    const report = await importSidecarFiles({
      files: writeTempFiles({
        'trace_output_frontend-6d8f7-abcde.log': [
          'Tracing... Ctrl+C to stop.',
          jsonRecord('a5d03325-d0a0-9232-9a7f-0d8a5a69578b', 0),
          jsonRecord('b5d03325-d0a0-9232-9a7f-0d8a5a69578b', 5000),
        ],
      }),
      sink,
    });
    expect(report).toMatchObject({ streams: 2, problemCount: 0 });
    const [first] = streamSpansOf(sink.spans);
    expect(first).toMatchObject({
      traceId: 'a5d03325d0a092329a7f0d8a5a69578b',
      timestamp: UTC_US,
      duration: 1000,
      localEndpoint: { serviceName: 'frontend' },
      tags: { 'sidecar.origin': 'ebpf', 'guid:x-request-id': 'a5d03325-d0a0-9232-9a7f-0d8a5a69578b' },
    });
    expect(stagesOf(sink.spans, first!)).toEqual([
      ['downstream-parsing', UTC_US, UTC_US + 40],
      ['request-filters', UTC_US + 40, UTC_US + 100],
      ['process-time', UTC_US + 100, UTC_US + 850],
      ['upstream-parsing', UTC_US + 850, UTC_US + 900],
      ['response-filters', UTC_US + 900, UTC_US + 1000],
    ]);
  });

  it('reads the one-line form and honours --tai-offset', async () => {
    const line = `Stream ID: 42, X-Request-ID: req-1, Time Start: ${ns(0)}, Time Request Filter End: ${ns(30)}, Time End: ${ns(500)}, Time Upstream Recorded: ${ns(420)}`;
    const sink = memorySink();
    await importSidecarFiles({
      files: writeTempFiles({ 'trace_output_search-1.log': [line] }),
      sink,
      taiOffsetMs: 0,
    });
    const [span] = streamSpansOf(sink.spans);
    const taiUs = TAI_NS / 1000;
    expect(span).toMatchObject({
      timestamp: taiUs,
      localEndpoint: { serviceName: 'search' },
      tags: { 'sidecar.stream_id': '42' },
    });
    expect(stagesOf(sink.spans, span!)).toEqual([
      ['request-filters', taiUs, taiUs + 30],
      ['process-time', taiUs + 30, taiUs + 420],
      ['response-filters', taiUs + 420, taiUs + 500],
    ]);
  });

  it('lines up the records of two sidecars of one request in one trace', async () => {
    const sink = memorySink();
    await importSidecarFiles({
      files: writeTempFiles({
        'trace_output_frontend-1.log': [jsonRecord('c0ffee00-0000-4000-8000-000000000001', 0)],
        'trace_output_search-1.log': [
          jsonRecord('c0ffee00-0000-4000-8000-000000000001', 200).replace(
            '"Time End":' + ns(1200),
            '"Time End":' + ns(800),
          ),
        ],
      }),
      sink,
    });
    const [client, server] = streamSpansOf(sink.spans);
    expect(server!.localEndpoint?.serviceName).toBe('search');
    expect(server!.traceId).toBe(client!.traceId);
    expect(server!.parentId).toBe(client!.id);
  });

  it.each([
    ['{"X-Request-ID": "x"', 'not valid JSON'],
    ['[1,2]', 'expected "Key: value" pairs'],
    ['{"X-Request-ID": "x", "Time End": 5}', 'needs its start'],
    ['Stream ID: 1, Time Start: soon, Time End: 9', 'must be nanoseconds'],
  ])('reports %s', (line, reason) => {
    const result = parseEbpfLine(line, { file: 'f', lineNumber: 3, service: 's' });
    expect(result).toEqual({ error: expect.stringContaining(reason) });
  });

  it('counts a bad record by file:line and keeps the good ones', async () => {
    const sink = memorySink();
    const report = await importSidecarFiles({
      files: writeTempFiles({
        'trace_output_geo-1.log': [jsonRecord('r1', 0), '{"truncated": ', jsonRecord('r2', 10)],
      }),
      sink,
    });
    expect(report.problems).toEqual([
      { file: expect.stringMatching(/geo-1\.log$/), line: 2, reason: 'not valid JSON' },
    ]);
    expect(streamSpansOf(sink.spans)).toHaveLength(2);
  });
});
