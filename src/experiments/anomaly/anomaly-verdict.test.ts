import { describe, expect, it } from 'vitest';
import type { AnomaliesReport, WindowReport } from '../../analysis/index.js';
import { describeTypeKey } from '../hotel/type-labels.js';
import { anomalyPlan } from './anomaly-plan.js';
import { anomalyVerdict, rankServices } from './anomaly-verdict.js';

const change = (z: number) => ({ baseline: 1, window: 1 + z, z });
const suspect = (
  service: string,
  operation: string | null,
  type: string | null,
  score: number,
  metric: string,
) => ({
  service,
  operation,
  type,
  score,
  evidence: { traces: { baseline: 30, window: 30 }, [metric]: change(score) },
});

describe('the anomaly verdict', () => {
  const window: WindowReport = {
    suspects: [
      suspect('rate', null, 'T1', 99, 'cpuMs'), // per type: not in the overall ranking
      suspect('geo', 'geo.geo/nearby', null, 40, 'selfTimeUs'),
      suspect('geo', null, null, 38, 'criticalPathUs'),
      suspect('search', null, null, 3, 'criticalPathUs'),
    ],
    skipped: [],
  };

  it('ranks services by their best overall score', () => {
    expect(rankServices(window)).toEqual([
      { service: 'geo', score: 40, operation: 'geo.geo/nearby', metric: 'selfTimeUs' },
      { service: 'search', score: 3, operation: null, metric: 'criticalPathUs' },
    ]);
  });

  it('holds the flagged traces against the injected ones', () => {
    const culprit = (service: string) => ({ spanId: '1', service, operation: 'x', value: 1, usual: 0 });
    const base = { median: 1, mad: 1, mean: 1, std: 1, n: 40 };
    const anomalies: AnomaliesReport = {
      anomalies: [
        { traceId: 't1', type: 'T', metric: 'duration', value: 9, baseline: base, culprit: culprit('geo') },
        {
          traceId: 't2',
          type: 'T',
          metric: 'duration',
          value: 9,
          baseline: base,
          culprit: culprit('search'),
        },
        { traceId: 't9', type: 'T', metric: 'duration', value: 9, baseline: base, culprit: null },
        { traceId: 't3', type: 'T', metric: 'memory', value: 9, baseline: base, culprit: null },
      ],
      skipped: [],
      total: 4,
    };
    const injections = ['t1', 't2', 't3', 't4'].map((traceId) => ({
      timeMs: 1,
      function: 'default/geo',
      kinds: ['delay'],
      order: 'delay=50ms',
      traceId,
    }));
    expect(anomalyVerdict('geo', window, anomalies, injections)).toMatchObject({
      rank: 1,
      injected: 4,
      flagged: 3,
      flaggedInjected: 2,
      culpritInService: 1,
      recall: 0.5,
      precision: 2 / 3,
    });
    expect(anomalyVerdict('user', window, anomalies, []).rank).toBeUndefined();
  });

  it('checks the plan at the edge', () => {
    expect(anomalyPlan({ quick: true })).toMatchObject({ service: 'geo', fault: 'delay=50ms', rps: 12 });
    expect(() => anomalyPlan({ service: 'gateway' })).toThrow(
      '--service: expected one of the hotel services',
    );
    expect(() => anomalyPlan({ fault: 'slow' })).toThrow('--fault: unknown fault "slow"');
    expect(() => anomalyPlan({ rps: 0 })).toThrow('--rps: expected a positive number');
  });

  it('describes a type key by its endpoint and services', () => {
    expect(describeTypeKey('invoker:get /hotels')).toBe('GET /hotels');
    expect(
      describeTypeKey(
        'hivelab-gateway:get frontend → [frontend:get /hotels → [search:search.search/nearby → geo:geo.geo/nearby]]',
      ),
    ).toBe('GET /hotels: search, geo');
  });
});
