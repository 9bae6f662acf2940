import { describe, expect, it } from 'vitest';
import { encodeGrpcMessage, forwardableHeaders, grpcStatusForHttp, splitTrailersOnly } from './headers.js';

describe('forwardableHeaders', () => {
  it('drops pseudo and hop-by-hop headers but keeps te: trailers', () => {
    expect(
      forwardableHeaders({
        ':path': '/x',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        'content-type': 'application/grpc',
        'x-custom': 'y',
      }),
    ).toEqual({ te: 'trailers', 'content-type': 'application/grpc', 'x-custom': 'y' });
  });
});

describe('splitTrailersOnly', () => {
  it('moves the gRPC status into trailers', () => {
    expect(
      splitTrailersOnly({ 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'x' }),
    ).toEqual({
      headers: { 'content-type': 'application/grpc' },
      trailers: { 'grpc-status': '5', 'grpc-message': 'x' },
    });
  });
});

describe('grpcStatusForHttp', () => {
  it.each([
    [504, 4],
    [503, 14],
    [502, 14],
    [404, 12],
  ])('%i → %i', (http, grpc) => expect(grpcStatusForHttp(http)).toBe(grpc));
});

describe('encodeGrpcMessage', () => {
  it.each([
    ['function default/x timed out', 'function default/x timed out'],
    ['100% busy', '100%25 busy'],
    ['zürich\n', 'z%C3%BCrich%0A'],
  ])('%j → %j', (message, encoded) => {
    expect(encodeGrpcMessage(message)).toBe(encoded);
    expect(decodeURIComponent(encoded)).toBe(message);
  });
});
