import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { createFixedPolicy } from './examples/fixed-policy.js';
import { kpaPolicy } from './kpa-policy.js';
import { settings } from './testing/kpa-harness.js';
import { simulateScaling } from './simulate.js';
import { formatSimulationCsv, parseLoadProfileCsv } from './load-profile-csv.js';

describe('parseLoadProfileCsv', () => {
  it('reads time_ms,concurrency[,rps] with an optional header, comments and blank lines', () => {
    const text = '# step load\ntime_ms,concurrency,rps\n0,0\n\n10000,35,50\r\n130000,0,0\n';
    expect(parseLoadProfileCsv(text)).toEqual([
      { timeMs: 0, concurrency: 0 },
      { timeMs: 10_000, concurrency: 35, rps: 50 },
      { timeMs: 130_000, concurrency: 0, rps: 0 },
    ]);
  });

  it.each([
    ['0,1\n1000,x\n', /load\.csv:2:2: concurrency must be a number >= 0, got "x"/],
    ['0,1\n-5,1\n', /load\.csv:2:1: time_ms must be a number >= 0/],
    ['0,1,\n', /load\.csv:1:3: rps must be a number >= 0, got ""/],
    ['0\n', /load\.csv:1: expected 2 or 3 columns/],
    ['5000,1\n1000,1\n', /load\.csv:2:1: time_ms 1000 goes back in time/],
    ['time_ms,concurrency\n', /load\.csv: no data lines/],
  ])('refuses %j', (text, message) => {
    expect(() => parseLoadProfileCsv(text, 'load.csv')).toThrow(UserError);
    expect(() => parseLoadProfileCsv(text, 'load.csv')).toThrow(message);
  });
});

describe('formatSimulationCsv', () => {
  it('puts policies side by side, one row per sample', () => {
    const profile = parseLoadProfileCsv('0,0\n2000,35\n4000,35\n');
    const s = settings({ target: 10 });
    const csv = formatSimulationCsv([
      simulateScaling(kpaPolicy, s, profile),
      simulateScaling(createFixedPolicy(3), s, profile),
    ]);
    expect(csv.split('\n')).toEqual([
      'time_ms,concurrency,kpa_desired,kpa_ready,fixed-3_desired,fixed-3_ready',
      '1000,0,1,1,1,1',
      '2000,35,1,1,3,3',
      '3000,35,1,1,3,3',
      '4000,35,3,3,3,3', // KPA: 2 of 4 samples at 35 → avg 17.5 / 7 → 3 (panic)
      '',
    ]);
  });

  it('refuses results that do not share sample times', () => {
    const s = settings();
    const a = simulateScaling(kpaPolicy, s, parseLoadProfileCsv('0,0\n3000,0\n'));
    const b = simulateScaling(kpaPolicy, s, parseLoadProfileCsv('0,0\n5000,0\n'));
    expect(() => formatSimulationCsv([a, b])).toThrow(/same load profile and options/);
    expect(formatSimulationCsv([])).toBe('');
  });
});
