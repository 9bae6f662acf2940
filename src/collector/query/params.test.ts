import { describe, expect, it } from 'vitest';
import { HttpError } from '../../errors.js';
import {
  DEFAULT_LOOKBACK_MS,
  parseAnnotationQuery,
  parseDependencyWindow,
  parseGoDurationUs,
  parseJaegerTags,
  parseJaegerTraceQuery,
  parseTraceIdList,
  parseZipkinTraceQuery,
} from './params.js';

const NOW_MS = 1_700_000_000_000;
const q = (s: string): URLSearchParams => new URLSearchParams(s);

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    return (error as Error).message;
  }
  throw new Error('expected a 400');
}

describe('parseZipkinTraceQuery', () => {
  it('applies Zipkin defaults', () => {
    expect(parseZipkinTraceQuery(q(''), NOW_MS)).toEqual({
      endTsMs: NOW_MS,
      lookbackMs: DEFAULT_LOOKBACK_MS,
      limit: 10,
    });
  });

  it('reads every parameter', () => {
    const query = parseZipkinTraceQuery(
      q(
        'serviceName=frontend&remoteServiceName=db&spanName=get&annotationQuery=error%20and%20http.path%3D%2Fa' +
          '&minDuration=100&maxDuration=900&endTs=1000&lookback=500&limit=3',
      ),
      NOW_MS,
    );
    expect(query).toEqual({
      serviceName: 'frontend',
      remoteServiceName: 'db',
      spanName: 'get',
      annotationQuery: { error: '', 'http.path': '/a' },
      minDurationUs: 100,
      maxDurationUs: 900,
      endTsMs: 1000,
      lookbackMs: 500,
      limit: 3,
    });
  });

  it('treats spanName=all as any span name', () => {
    expect(parseZipkinTraceQuery(q('spanName=all'), NOW_MS).spanName).toBeUndefined();
  });

  it.each([
    ['maxDuration=5', 'maxDuration is only valid with minDuration'],
    ['minDuration=10&maxDuration=5', 'maxDuration < minDuration'],
    ['minDuration=0', 'minDuration <= 0'],
    ['limit=0', 'limit <= 0'],
    ['limit=-3', 'limit <= 0'],
    ['endTs=0', 'endTs <= 0'],
    ['lookback=-1', 'lookback <= 0'],
    ['limit=ten', 'invalid limit "ten": expected an integer (a count of traces)'],
    ['minDuration=1.5', 'invalid minDuration "1.5": expected an integer (microseconds)'],
    ['endTs=yesterday', 'invalid endTs "yesterday": expected an integer (epoch milliseconds)'],
    ['annotationQuery=%3Dx', 'invalid annotationQuery term "=x": expected key=value or a word'],
  ])('%s → 400 %s', (params, message) => {
    expect(rejection(() => parseZipkinTraceQuery(q(params), NOW_MS))).toBe(message);
  });
});

describe('parseAnnotationQuery', () => {
  it('splits on "and", case-insensitively, keeping = in values', () => {
    expect(parseAnnotationQuery('a=b=c AND cs and k=')).toEqual({ a: 'b=c', cs: '', k: '' });
    expect(parseAnnotationQuery('  ')).toBeUndefined();
  });
});

describe('parseDependencyWindow', () => {
  it('requires endTs unless a default is given', () => {
    expect(rejection(() => parseDependencyWindow(q('lookback=10')))).toBe(
      'endTs is required (epoch milliseconds)',
    );
    expect(parseDependencyWindow(q(''), NOW_MS)).toEqual({
      endTsMs: NOW_MS,
      lookbackMs: DEFAULT_LOOKBACK_MS,
    });
    expect(parseDependencyWindow(q('endTs=50&lookback=20'))).toEqual({ endTsMs: 50, lookbackMs: 20 });
    expect(rejection(() => parseDependencyWindow(q('endTs=50&lookback=0')))).toBe('lookback <= 0');
  });
});

describe('parseTraceIdList', () => {
  it('splits, trims and deduplicates; empty is a 400', () => {
    expect(parseTraceIdList(' a, b,a,,')).toEqual(['a', 'b']);
    expect(rejection(() => parseTraceIdList(null))).toMatch(/traceIds parameter is empty/);
    expect(rejection(() => parseTraceIdList(' , '))).toMatch(/traceIds parameter is empty/);
  });
});

describe('parseGoDurationUs', () => {
  it.each([
    ['100ms', 100_000],
    ['1.5s', 1_500_000],
    ['500us', 500],
    ['500µs', 500],
    ['1h30m', 5_400_000_000],
    ['2000ns', 2],
    ['0', 0],
  ])('%s = %i µs', (raw, us) => {
    expect(parseGoDurationUs(raw, 'minDuration')).toBe(us);
  });

  it.each(['', '10', 'ms', '1.5 s', '-1s', '1d'])('"%s" is a 400 naming the parameter', (raw) => {
    expect(rejection(() => parseGoDurationUs(raw, 'maxDuration'))).toMatch(/^invalid maxDuration/);
  });
});

describe('parseJaegerTags and parseJaegerTraceQuery', () => {
  it('reads tags as a JSON object and as tag=k:v', () => {
    expect(
      parseJaegerTags(q('tags=%7B%22error%22%3Atrue%2C%22k%22%3A%22v%22%7D&tag=http.url:http://x')),
    ).toEqual({
      error: 'true',
      k: 'v',
      'http.url': 'http://x',
    });
    expect(rejection(() => parseJaegerTags(q('tags=%5B1%5D')))).toMatch(/expected a JSON object/);
    expect(rejection(() => parseJaegerTags(q('tags=%7Bnope')))).toMatch(/expected a JSON object/);
    expect(rejection(() => parseJaegerTags(q('tag=novalue')))).toMatch(/expected key:value/);
  });

  it('maps a search to a store query', () => {
    expect(
      parseJaegerTraceQuery(
        q(
          'service=frontend&operation=GET&start=1000000&end=3000000&limit=5&minDuration=1ms&maxDuration=1.5s',
        ),
        NOW_MS,
      ),
    ).toEqual({
      serviceName: 'frontend',
      spanName: 'GET',
      minDurationUs: 1_000,
      maxDurationUs: 1_500_000,
      endTsMs: 3_000,
      lookbackMs: 2_000,
      limit: 5,
    });
  });

  it('defaults to the last day and 100 traces', () => {
    expect(parseJaegerTraceQuery(q('service=a&limit=0'), NOW_MS)).toEqual({
      serviceName: 'a',
      endTsMs: NOW_MS,
      lookbackMs: DEFAULT_LOOKBACK_MS,
      limit: 100,
    });
    expect(parseJaegerTraceQuery(q('service=a&lookback=1h'), NOW_MS).lookbackMs).toBe(3_600_000);
  });

  it.each([
    ['', "parameter 'service' is required"],
    ['service=a&start=5&end=5', "'start' must be before 'end' (epoch microseconds)"],
    ['service=a&minDuration=2s&maxDuration=1s', "'maxDuration' should be greater than 'minDuration'"],
    ['service=a&minDuration=fast', /^invalid minDuration "fast"/],
    ['service=a&limit=-1', /^invalid limit/],
    ['service=a&end=soon', /^invalid end "soon"/],
  ])('%s → 400', (params, message) => {
    expect(rejection(() => parseJaegerTraceQuery(q(params), NOW_MS))).toMatch(message);
  });
});
