import { describe, expect, it } from 'vitest';
import { parseLogQuery } from './log-query.js';

const parse = (query: string) => parseLogQuery(new URLSearchParams(query));

describe('parseLogQuery', () => {
  it.each([
    ['', { follow: false, timestamps: false }],
    ['follow=1&timestamps=true', { follow: true, timestamps: true }],
    [
      'follow=0&instance=fn-1a2b&container=user-container',
      { follow: false, timestamps: false, instanceId: 'fn-1a2b', container: 'user-container' },
    ],
    ['since=10m&tail=5', { follow: false, timestamps: false, sinceMs: 600_000, tailLines: 5 }],
    ['since=1h30m', { follow: false, timestamps: false, sinceMs: 5_400_000 }],
  ])('%j', (query, expected) => {
    expect(parse(query)).toEqual(expected);
  });

  it.each([
    ['since=10', /since: expected a duration such as 30s, 10m or 1h, got "10"/],
    ['since=0s', /since: expected a duration/],
    ['tail=-1', /tail: expected a number of lines/],
    ['follow=yes', /follow: expected 1, true, 0 or false, got "yes"/],
    ['instance=../x', /instance: expected an instance id/],
    ['lines=3', /unknown parameter "lines"/],
  ])('refuses %j naming the parameter', (query, message) => {
    expect(() => parse(query)).toThrow(message);
    try {
      parse(query);
    } catch (error) {
      expect((error as { status?: number }).status).toBe(400);
    }
  });
});
