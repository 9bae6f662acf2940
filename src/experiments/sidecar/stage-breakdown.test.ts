import { describe, expect, it } from 'vitest';
import type { Span } from '../../spans/index.js';
import { breakdownByFunction, breakdownByType, hopOf, hopsOf } from './stage-breakdown.js';

/** A gateway SERVER span for `fn` with stage marks at `t0 + offsets` (µs). */
function gatewaySpan(fn: string, t0: number, offsets: number[], connection = 'reused'): Span {
  const names = [
    'head_parsed',
    'routed',
    'admitted',
    `connection_${connection}`,
    'request_written',
    'first_byte',
    'response_written',
  ];
  return {
    traceId: 'a'.repeat(32),
    id: `${fn.padEnd(15, '0').slice(0, 15)}1`,
    name: `post ${fn}`,
    kind: 'SERVER',
    timestamp: t0,
    duration: offsets.at(-1)!,
    localEndpoint: { serviceName: 'hivelab-gateway' },
    tags: { 'function.name': fn },
    annotations: offsets.map((at, i) => ({ timestamp: t0 + at, value: `stage:${names[i]}` })),
  };
}

describe('the gateway stage breakdown', () => {
  //  frontend  |route 10|admit 20|connect 5|write 15|====== upstream 1000 ======|respond 50|
  //  geo                               ... |r 2|a 3|c 1|w 4|= up 200 =|resp 10|
  const frontend = gatewaySpan('frontend', 1_000, [0, 10, 30, 35, 50, 1050, 1100], 'new');
  const geo = gatewaySpan('geo', 1_100, [0, 2, 5, 6, 10, 210, 220]);

  it('reads the stages of one hop from its annotations', () => {
    expect(hopOf(frontend)).toEqual({
      function: 'frontend',
      newConnection: true,
      stages: { route: 10, admit: 20, connect: 5, write: 15, upstream: 1000, respond: 50 },
    });
    expect(hopOf({ ...geo, kind: 'CLIENT' })).toBeUndefined();
    expect(hopOf({ ...geo, annotations: geo.annotations!.slice(0, 3) })).toBeUndefined();
  });

  it('sums the gateway stages of every hop of a request, the entry hop giving upstream', () => {
    const hops = hopsOf([geo, frontend]);
    expect(hops.map((h) => h.function)).toEqual(['frontend', 'geo']);
    const [row] = breakdownByType([{ type: 'search', hops }]);
    expect(row).toMatchObject({
      group: 'search',
      n: 1,
      hopsPerTrace: 2,
      median: { route: 12, admit: 23, connect: 6, write: 19, upstream: 1000, respond: 60 },
    });
    expect(row!.gatewayShare).toBeCloseTo(120 / 1120, 5);
  });

  it('gives medians per function called', () => {
    const rows = breakdownByFunction([
      ...hopsOf([frontend, geo]),
      ...hopsOf([gatewaySpan('geo', 5_000, [0, 4, 7, 8, 12, 412, 422])]),
    ]);
    expect(rows.map((r) => [r.group, r.n, r.median.upstream, r.median.route])).toEqual([
      ['geo', 2, 300, 3],
      ['frontend', 1, 1000, 10],
    ]);
  });
});
