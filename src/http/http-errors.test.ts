import { describe, expect, it } from 'vitest';
import { HttpError, UserError } from '../errors.js';
import { decodePathSegment, statusOf } from './index.js';

describe('statusOf', () => {
  it.each([
    [new HttpError(413, 'too large'), 413],
    [new UserError('bad flag'), 400],
    [new Error('bug'), 500],
    ['a string', 500],
  ])('maps %s to %i', (error, status) => {
    expect(statusOf(error)).toBe(status);
  });
});

describe('decodePathSegment', () => {
  it('decodes percent-escapes', () => {
    expect(decodePathSegment('hello%20world%C3%A9', 'name')).toBe('hello worldé');
  });

  it.each(['%zz', 'a%', '%C3%28'])('refuses %s with a 400 naming the part', (segment) => {
    expect(() => decodePathSegment(segment, 'function name')).toThrow(HttpError);
    expect(() => decodePathSegment(segment, 'function name')).toThrow(
      `the function name in the path is not valid percent-encoding: ${JSON.stringify(segment)}`,
    );
  });
});
