import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { flagName, listenPort, parseFlag, parseFlags, positiveInt } from './flags.js';

describe('flags', () => {
  it('names a flag as the user typed it', () => {
    expect(flagName('collectorPort')).toBe('--collector-port');
    expect(flagName('jsonFile', 'go')).toBe('-jsonFile');
  });

  it('turns the first issue into a message naming the flag, the value and the expected form', () => {
    const schema = z.object({ port: listenPort, tail: positiveInt.optional() });
    expect(parseFlags(schema, { port: '0' }, 'up')).toEqual({ port: 0 });
    expect(() => parseFlags(schema, { port: '70000' }, 'up')).toThrow(
      'invalid --port "70000": expected a port number (0-65535; 0 picks a free port)',
    );
    expect(() => parseFlags(schema, { port: '1', tail: '0' }, 'logs', 'go')).toThrow(
      'invalid -tail "0": expected a positive integer',
    );
    expect(() => parseFlags(z.object({ out: z.string() }), {}, 'x')).toThrow(/invalid --out missing/);
    expect(() => parseFlag(positiveInt, '2.5', '--max-tries')).toThrow(
      'invalid --max-tries "2.5": expected a positive integer',
    );
  });
});
