import { createDecipheriv } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import aes, { encryptRepeatedly } from './aes.js';
import helloworld, { greet } from './helloworld.js';
import { HELLOWORLD_PROTO_PATH } from './helloworld-proto.js';
import sleep, { parseSleepMs } from './sleep.js';
import { testContext } from '../sdk/testing/index.js';
import { invokeHttp } from './testing/invoke-http.js';
import traceFunc, { parseTraceRequest, runTraceWorkload } from './trace-func.js';

const ctx = testContext();

function sayHello(module: typeof helloworld, name: string): Promise<Record<string, unknown>> {
  const method = module.grpc?.[0]?.methods.SayHello;
  if (!method) throw new Error('no SayHello');
  return Promise.resolve(method({ name }, ctx));
}

describe('helloworld', () => {
  it('greets over gRPC like vSwarm', async () => {
    expect(await sayHello(helloworld, 'vHive')).toEqual({ message: 'Hello, vHive!' });
    expect(greet('')).toBe('Hello, World!');
    expect(helloworld.grpc?.[0]?.service).toBe('helloworld.Greeter');
    expect(existsSync(HELLOWORLD_PROTO_PATH)).toBe(true);
  });

  it.each([
    [new Request('http://fn/?name=Ann'), 'Hello, Ann!'],
    [new Request('http://fn/', { method: 'POST', body: 'Bob' }), 'Hello, Bob!'],
    [new Request('http://fn/', { method: 'POST', body: '{"name":"Cy"}' }), 'Hello, Cy!'],
    [new Request('http://fn/'), 'Hello, World!'],
  ])('greets over HTTP %#', async (request, text) => {
    const response = await invokeHttp(helloworld, request);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(text);
  });
});

describe('aes', () => {
  it('encrypts with AES-128-CTR so that decrypting gives the plaintext back', () => {
    const hex = encryptRepeatedly('secret message', 3);
    expect(hex).toHaveLength(28);
    expect(hex).not.toBe(Buffer.from('secret message').toString('hex'));
    const key = Buffer.from('a1f6258c877d5fcd8964484538bfc92c', 'hex');
    const decipher = createDecipheriv('aes-128-ctr', key, Buffer.alloc(16));
    expect(Buffer.concat([decipher.update(Buffer.from(hex, 'hex')), decipher.final()]).toString()).toBe(
      'secret message',
    );
  });

  it('answers gRPC and HTTP, and refuses a bad iteration count', async () => {
    const reply = await sayHello(aes, 'hello');
    expect(reply.message).toBe(`fn: AES | plaintext: hello | ciphertext: ${encryptRepeatedly('hello', 1)}`);
    const ok = await invokeHttp(aes, new Request('http://fn/?plaintext=abc&iterations=5'));
    expect(await ok.json()).toEqual({
      plaintext: 'abc',
      iterations: 5,
      ciphertext: encryptRepeatedly('abc', 1),
    });
    const bad = await invokeHttp(aes, new Request('http://fn/?iterations=-2'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('iterations: expected an integer');
  });
});

describe('trace-func', () => {
  it('runs for the asked duration and touches the asked memory', () => {
    const cpuBefore = process.cpuUsage();
    const result = runTraceWorkload({ durationMs: 100, memoryMb: 8 });
    const cpu = process.cpuUsage(cpuBefore);
    expect(result.durationMs).toBeGreaterThanOrEqual(100);
    expect(result.memoryMb).toBe(8);
    // Busy-spinning uses CPU (a sleep of 100 ms uses well under 1 ms). The bound is loose
    // because 8 engineers share 2 cores: the spinning thread is often descheduled.
    expect((cpu.user + cpu.system) / 1000).toBeGreaterThan(5);
  });

  it('uses the injected clock', () => {
    let t = 0;
    const result = runTraceWorkload({ durationMs: 5, memoryMb: 0 }, () => (t += 1));
    expect(result.durationMs).toBe(5);
  });

  it('spends the requested duration in total: the memory touch comes out of it, not on top', () => {
    // A clock that jumps 3 ms when the memory has been touched: the touch took 3 ms of the 10.
    let t = 0;
    let calls = 0;
    const result = runTraceWorkload({ durationMs: 10, memoryMb: 1 }, () =>
      calls++ === 1 ? (t += 3) : (t += 0.5),
    );
    expect(result.touchMs).toBe(3);
    expect(result.durationMs).toBeGreaterThanOrEqual(10);
    expect(result.durationMs).toBeLessThan(10.6);
  });

  it.each([
    [{ durationMs: -1 }, 'durationMs: expected a number of milliseconds'],
    [{ durationMs: 'x' }, 'durationMs: expected a number of milliseconds'],
    [{ durationMs: 1, memoryMb: 1e9 }, 'memoryMb: expected a number of MiB'],
    ['nope', 'expected a JSON object'],
  ])('refuses %j', (body, expected) => {
    expect(parseTraceRequest(body)).toContain(expected);
  });

  it('answers HTTP POST with the actual figures and gRPC with JSON in the message', async () => {
    const response = await invokeHttp(
      traceFunc,
      new Request('http://fn/', { method: 'POST', body: JSON.stringify({ durationMs: 5, memoryMb: 1 }) }),
    );
    const body = (await response.json()) as { durationMs: number; memoryMb: number };
    expect(body.memoryMb).toBe(1);
    expect(body.durationMs).toBeGreaterThanOrEqual(5);
    const bad = await invokeHttp(
      traceFunc,
      new Request('http://fn/', { method: 'POST', body: '{"durationMs":"soon"}' }),
    );
    expect(bad.status).toBe(400);
    const reply = await sayHello(traceFunc, JSON.stringify({ durationMs: 2, memoryMb: 0 }));
    expect(JSON.parse(String(reply.message))).toMatchObject({ memoryMb: 0 });
  });
});

describe('sleep', () => {
  it('sleeps without burning CPU', async () => {
    // A first call pays for compiling the request path; that CPU is not the sleep's.
    await (await invokeHttp(sleep, new Request('http://fn/?ms=1'))).json();
    const cpuBefore = process.cpuUsage();
    const response = await invokeHttp(sleep, new Request('http://fn/?ms=200'));
    const cpu = process.cpuUsage(cpuBefore);
    const body = (await response.json()) as { sleptMs: number };
    expect(body.sleptMs).toBeGreaterThanOrEqual(199);
    // A busy wait would burn about sleptMs of CPU; a timer burns next to none.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(body.sleptMs / 2);
  });

  it.each([['-5'], ['abc'], ['9999999999']])('refuses ms=%s', (ms) => {
    expect(parseSleepMs(ms)).toMatch(/^ms: expected a number of milliseconds/);
  });
});
