import { describe, expect, it } from 'vitest';
import {
  concurrentRecog,
  containerArgs,
  decoderFrames,
  flagValue,
  tracingEnabled,
  transferType,
} from './function-args.js';
import { authorityFor, gatewayTarget } from './next-hop.js';

describe('vSwarm function settings', () => {
  it.each([
    [['-addr', 'recog.default.svc.cluster.local:80'], 'recog.default.svc.cluster.local:80'],
    [['--addr', 'x'], 'x'],
    [['-addr=y'], 'y'],
    [['--addr=z', '-p', '80'], 'z'],
    [['-addr', 'a', '-addr', 'b'], 'b'],
    [['-p', '80'], undefined],
    [['-addr'], undefined],
  ])('reads the -addr flag of %j', (args, expected) => {
    expect(flagValue(args, 'addr')).toBe(expected);
  });

  it('takes container args from HIVELAB_CONTAINER_ARGS, else argv, and refuses a non-array', () => {
    expect(containerArgs({ HIVELAB_CONTAINER_ARGS: '["-addr","r:80"]' }, ['-x'])).toEqual(['-addr', 'r:80']);
    expect(containerArgs({}, ['-x'])).toEqual(['-x']);
    expect(() => containerArgs({ HIVELAB_CONTAINER_ARGS: '{"a":1}' }, [])).toThrow(/JSON array/);
  });

  it('reads TRANSFER_TYPE, DecoderFrames, CONCURRENT_RECOG and ENABLE_TRACING as vSwarm does', () => {
    expect(transferType({})).toBe('INLINE');
    expect(transferType({ TRANSFER_TYPE: 's3' })).toBe('S3');
    expect(() => transferType({ TRANSFER_TYPE: 'XDT' })).toThrow(/XDT is not supported/);
    expect(decoderFrames({ DecoderFrames: '6' }, ['-frames', '2'])).toBe(6);
    expect(decoderFrames({}, ['-frames', '2'])).toBe(2);
    expect(decoderFrames({}, [])).toBe(1);
    expect(() => decoderFrames({ DecoderFrames: 'six' }, [])).toThrow(/DecoderFrames: expected an integer/);
    expect(concurrentRecog({})).toBe(false);
    expect(concurrentRecog({ CONCURRENT_RECOG: 'False' })).toBe(false);
    expect(concurrentRecog({ CONCURRENT_RECOG: 'true' })).toBe(true);
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ ENABLE_TRACING: '”true”' })).toBe(true);
    expect(tracingEnabled({ ENABLE_TRACING: 'false' })).toBe(false);
  });

  it('turns -addr into the authority the gateway routes on, and the gateway URL into a gRPC target', () => {
    expect(authorityFor('recog.default.svc.cluster.local:80')).toBe('recog.default.svc.cluster.local:80');
    expect(authorityFor('decoder.default.127.0.0.1.nip.io')).toBe('decoder.default.127.0.0.1.nip.io');
    expect(authorityFor('recog')).toBe('recog.default.svc.cluster.local');
    expect(authorityFor('recog:80', 'lab')).toBe('recog.lab.svc.cluster.local:80');
    expect(() => authorityFor(' ')).toThrow(/empty/);
    expect(gatewayTarget('http://127.0.0.1:18780')).toBe('127.0.0.1:18780');
    expect(gatewayTarget('http://localhost')).toBe('localhost:80');
  });
});
