import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../request-record.js';
import { formatRequestCsv, REQUEST_CSV_HEADER } from './request-csv.js';
import { formatVhiveLatencies, vhiveFileName, vhiveSummaryLines } from './vhive-output.js';

function record(overrides: Partial<RequestRecord>): RequestRecord {
  return {
    index: 0,
    endpoint: 'helloworld-0.default.localhost',
    scheduledMs: 0,
    sentMs: 0,
    completedMs: 1,
    outcome: { ok: true, status: 'OK' },
    traceId: '',
    ...overrides,
  };
}

describe('vHive output', () => {
  it('writes one truncated µs latency per successful request, no header, in completion order', () => {
    const records = [
      record({ index: 1, scheduledMs: 250, sentMs: 250.1, completedMs: 251.2345 }),
      record({ index: 0, scheduledMs: 0, sentMs: 0.5, completedMs: 3.9999 }),
      record({
        index: 2,
        scheduledMs: 500,
        completedMs: 530,
        outcome: { ok: false, status: 'UNAVAILABLE', errorKind: 'refused' },
      }),
      record({ index: 3, scheduledMs: 750, sentMs: 752, completedMs: 1750 }),
    ];
    expect(formatVhiveLatencies(records)).toBe('1234\n3999\n1000000\n');
  });

  it('names the file rps<achieved, 2 decimals>_<latf> as vHive does', () => {
    expect(vhiveFileName(0.6, 'lat.csv')).toBe('rps0.60_lat.csv');
    expect(vhiveFileName(3.999, 'lat.csv')).toBe('rps4.00_lat.csv');
    expect(vhiveFileName(1234.5678, 'out/run1.csv')).toBe('out/rps1234.57_run1.csv');
  });

  it('prints vHive summary lines', () => {
    expect(vhiveSummaryLines(40, 39, 3.9, 4)).toEqual([
      'Issued / completed requests: 40, 39',
      'Real / target RPS: 3.90 / 4',
    ]);
    expect(vhiveSummaryLines(5, 5, 0.5, 0.5)[1]).toBe('Real / target RPS: 0.50 / 0.5');
  });
});

describe('request CSV', () => {
  it('has a header and one row per request sorted by index, with quoting', () => {
    const csv = formatRequestCsv(
      [
        record({
          index: 1,
          scheduledMs: 10,
          sentMs: 10.5,
          completedMs: 12,
          outcome: { ok: false, status: '503', errorKind: 'status', errorMessage: 'HTTP 503: "busy", later' },
        }),
        record({
          index: 0,
          scheduledMs: 0,
          sentMs: 0.25,
          completedMs: 2,
          outcome: { ok: true, status: 'OK', cold: true, instanceId: 'i-1' },
          traceId: 'ab',
        }),
      ],
      1_000_000,
    );
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(REQUEST_CSV_HEADER);
    expect(lines[1]).toBe(
      '0,helloworld-0.default.localhost,1000000000,1000000250,250,2000,1750,1,OK,,1,i-1,ab,',
    );
    expect(lines[2]).toBe(
      '1,helloworld-0.default.localhost,1000010000,1000010500,500,2000,1500,0,503,status,,,,"HTTP 503: ""busy"", later"',
    );
  });
});
