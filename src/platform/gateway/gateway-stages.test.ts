import { describe, expect, it } from 'vitest';
import { newExchangeRecord } from './exchange-record.js';
import { stageAnnotations } from './gateway-stages.js';

describe('stageAnnotations', () => {
  it('marks every stage reached, epoch µs, in time order', () => {
    const exchange = {
      ...newExchangeRecord(),
      connection: 'reused' as const,
      connectionAt: 10.5,
      requestWrittenAt: 10.6,
      firstByteAt: 12,
      responseWrittenAt: 12.25,
    };
    const marks = stageAnnotations(
      { headParsedAt: 10, routedAt: 10.1, admittedAt: 10.4, answeredAt: 0 },
      exchange,
      1_000_000,
    );
    expect(marks).toEqual([
      { timestamp: 1_000_010_000, value: 'stage:head_parsed' },
      { timestamp: 1_000_010_100, value: 'stage:routed' },
      { timestamp: 1_000_010_400, value: 'stage:admitted' },
      { timestamp: 1_000_010_500, value: 'stage:connection_reused' },
      { timestamp: 1_000_010_600, value: 'stage:request_written' },
      { timestamp: 1_000_012_000, value: 'stage:first_byte' },
      { timestamp: 1_000_012_250, value: 'stage:response_written' },
    ]);
  });

  it('leaves out stages never reached; an answer of the gateway itself is the response written', () => {
    const marks = stageAnnotations(
      { headParsedAt: 5, routedAt: 5.01, admittedAt: 0, answeredAt: 30 },
      newExchangeRecord(),
      0,
    );
    expect(marks.map((m) => m.value)).toEqual([
      'stage:head_parsed',
      'stage:routed',
      'stage:response_written',
    ]);
  });

  it('keeps time order when the response began before the request body was written (h2 streaming)', () => {
    const exchange = {
      ...newExchangeRecord(),
      connection: 'new' as const,
      connectionAt: 1,
      firstByteAt: 2,
      requestWrittenAt: 3,
      responseWrittenAt: 4,
    };
    const marks = stageAnnotations(
      { headParsedAt: 0.5, routedAt: 0.6, admittedAt: 0.7, answeredAt: 0 },
      exchange,
      0,
    );
    expect(marks.map((m) => m.value).slice(3)).toEqual([
      'stage:connection_new',
      'stage:first_byte',
      'stage:request_written',
      'stage:response_written',
    ]);
  });
});
