/**
 * The built-in relay: vSwarm's flags, its generators, and a real call over gRPC on loopback
 * to a function speaking vSwarm-proto's aes, auth and fibonacci methods.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_DEFAULTS, parseRelayFlags } from './relay-flags.js';
import { createRelay } from './relay-function.js';
import { relayGenerator } from './relay-generator.js';
import {
  decodeStringField1,
  encodeStringField1,
  relayProtocol,
  relayServiceName,
} from './relay-protocols.js';

describe('relay flags (Go flag syntax, vSwarm defaults)', () => {
  it('reads the flags of vSwarm kn-*.yaml', () => {
    expect(
      parseRelayFlags([
        '--addr=0.0.0.0:50000',
        '--function-endpoint-url=0.0.0.0',
        '--function-endpoint-port=50051',
        '--function-name=aes-python',
        '-generator',
        'random',
        '--lowerBound=5',
        '--upperBound=8',
        '--profile-function',
      ]),
    ).toEqual({
      ...RELAY_DEFAULTS,
      functionName: 'aes-python',
      generator: 'random',
      lowerBound: 5,
      upperBound: 8,
      profileFunction: true,
    });
  });

  it.each([
    [['--nope=1'], 'flag provided but not defined: -nope'],
    [['--generator=zipf'], '-generator: expected unique, linear or random, got "zipf"'],
    [['--lowerBound=x'], '-lowerBound: expected an integer, got "x"'],
    [['--value'], 'flag needs an argument: -value'],
    [['plain'], 'unexpected argument "plain"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseRelayFlags(argv)).toThrow(message);
  });
});

describe('relay protocols and generators', () => {
  it('knows vSwarm-proto services by function name, else falls back to helloworld', () => {
    expect(relayServiceName('fibonacci-cpp')).toBe('fibonacci');
    expect(relayProtocol('aes-go').protocol.path).toBe('/aes.Aes/ShowEncryption');
    expect(relayProtocol('auth-nodejs').protocol.path).toBe('/auth.Greeter/SayHello');
    expect(relayProtocol('gptj-python')).toMatchObject({
      known: false,
      protocol: { path: '/helloworld.Greeter/SayHello' },
    });
  });

  it('encodes and decodes one-string messages, skipping other fields', () => {
    const text = 'x'.repeat(300);
    expect(decodeStringField1(encodeStringField1(text))).toBe(text);
    // field 15 (bytes) before field 1, as helloworld's vHiveMetadata may come
    const withMeta = Buffer.concat([Buffer.from([0x7a, 2, 0x41, 0x42]), encodeStringField1('name')]);
    expect(decodeStringField1(withMeta)).toBe('name');
  });

  it('generates as vSwarm-proto does: fixed messages, counters, bounded random', () => {
    const rnd = (n: number): number => n - 1;
    const flags = { generator: 'unique' as const, value: 'v', lowerBound: 2, upperBound: 4 };
    expect(relayGenerator('aes', flags, rnd)()).toBe('A unique message');
    expect(relayGenerator('aes', { ...flags, generator: 'random' }, rnd)()).toBe('ZZZ');
    expect(relayGenerator('auth', { ...flags, generator: 'random' }, rnd)()).toBe('bla bla');
    const linear = relayGenerator('fibonacci', { ...flags, generator: 'linear' }, rnd);
    expect([linear(), linear(), linear()]).toEqual(['1', '2', '3']);
    expect(relayGenerator('fibonacci', flags, rnd)()).toBe('v');
    expect(relayGenerator('helloworld', flags, rnd)()).toBe('v');
  });
});

describe('relay over real gRPC', () => {
  let server: grpc.Server;
  let port = 0;
  const seen: { path: string; input: string }[] = [];

  beforeAll(async () => {
    server = new grpc.Server();
    const method = (path: string): grpc.MethodDefinition<string, string> => ({
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: (s: string) => encodeStringField1(s),
      requestDeserialize: (b: Buffer) => decodeStringField1(b),
      responseSerialize: (s: string) => encodeStringField1(s),
      responseDeserialize: (b: Buffer) => decodeStringField1(b),
      originalName: path,
    });
    const unary =
      (path: string, answer: (input: string) => string): grpc.handleUnaryCall<string, string> =>
      (call, callback) => {
        seen.push({ path, input: call.request });
        callback(null, answer(call.request));
      };
    server.addService(
      { ShowEncryption: method('/aes.Aes/ShowEncryption') },
      { ShowEncryption: unary('/aes.Aes/ShowEncryption', (s) => `fn: encrypted ${s}`) },
    );
    server.addService(
      { SayHello: method('/fibonacci.Greeter/SayHello') },
      { SayHello: unary('/fibonacci.Greeter/SayHello', (s) => `fn: fib(${s})`) },
    );
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
  });
  afterAll(() => server.forceShutdown());

  const ctx = { functionName: 'relay', instanceId: 'r-0', traceHeaders: {}, zipkinUrl: undefined };

  it('turns SayHello into the function own method, with the generated input', async () => {
    const relay = createRelay([`--function-endpoint-port=${port}`, '--function-name=aes-python']);
    const sayHello = relay.grpc![0]!.methods.SayHello!;
    expect(await sayHello({ name: 'ignored' }, ctx)).toEqual({ message: 'fn: encrypted A unique message' });
    expect(seen.at(-1)).toEqual({ path: '/aes.Aes/ShowEncryption', input: 'A unique message' });
  });

  it('counts with the linear generator and profiles the call when asked', async () => {
    const relay = createRelay([
      `--function-endpoint-port=${port}`,
      '--function-endpoint-url=127.0.0.1',
      '--function-name=fibonacci-go',
      '--generator=linear',
      '--profile-function=true',
    ]);
    const sayHello = relay.grpc![0]!.methods.SayHello!;
    await sayHello({}, ctx);
    const second = (await sayHello({}, ctx)) as { message: string };
    expect(second.message).toMatch(/^fn: fib\(2\)\|\d+$/);
  });

  it('fails the call when the function is not there', async () => {
    const relay = createRelay(['--function-endpoint-port=1', '--function-name=aes-go']);
    await expect(relay.grpc![0]!.methods.SayHello!({}, ctx)).rejects.toThrow(/UNAVAILABLE|ECONNREFUSED/);
  });
});
