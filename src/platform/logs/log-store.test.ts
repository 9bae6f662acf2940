import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { epochMsOf, formatCriRecord, parseCriRecord, rfc3339Nano } from './cri-log-line.js';
import { InstanceLogStore } from './log-store.js';
import type { LogLine } from './log-store.js';
import { OutputLines } from './output-lines.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'hivelab-logs-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const spec = (name: string, containers?: string[]) => ({
  namespace: 'default',
  name,
  sandbox: 'process' as const,
  ...(containers ? { containers: containers.map((c) => ({ name: c, image: 'x', env: {} })) } : {}),
});
const stopped = { reason: 'stopped' as const, code: 0, signal: null, message: 'stopped' };
const crashed = { reason: 'crashed' as const, code: 3, signal: null, message: 'exited with code 3' };
const contents = (lines: LogLine[]) => lines.map((l) => `${l.stream}:${l.content}`);

describe('CRI log records', () => {
  it('round-trip, with nanosecond times that keep µs and sort as text', () => {
    const time = rfc3339Nano(Date.UTC(2026, 11, 1, 23, 0, 0, 123) + 0.456);
    expect(time).toBe('2026-12-01T23:00:00.123456000Z');
    expect(epochMsOf(time)).toBeCloseTo(Date.UTC(2026, 11, 1, 23, 0, 0, 123) + 0.456, 6);
    const record = { time, stream: 'stderr' as const, tag: 'P' as const, content: 'a b  c ' };
    expect(formatCriRecord(record)).toBe(`${time} stderr P a b  c \n`);
    expect(parseCriRecord(formatCriRecord(record).slice(0, -1))).toEqual(record);
    expect(parseCriRecord('not a record')).toBeUndefined();
    expect(rfc3339Nano(1000.001) < rfc3339Nano(1000.002)).toBe(true);
  });

  it('lines keep UTF-8 whole across chunks, take CRLF as LF and split long lines into pieces', () => {
    const lines = new OutputLines(8);
    const euro = Buffer.from('€');
    expect(lines.push(Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]))).toEqual([]);
    expect(lines.push(Buffer.concat([euro.subarray(1), Buffer.from('b\r\nnext')]))).toEqual([
      { content: 'a€b', whole: true },
    ]);
    expect(lines.push(Buffer.from('-0123456789'))).toEqual([{ content: 'next-012', whole: false }]);
    expect(lines.flush()).toEqual([{ content: '3456789', whole: true }]);
    expect(lines.flush()).toEqual([]);
  });
});

describe('InstanceLogStore', () => {
  it('keeps each container of each instance in order, drops the runner report lines, ends with the exit', () => {
    const store = new InstanceLogStore(path.join(root, 'a'));
    const out = store.open(spec('fn', ['relay', 'function']), 'fn-1');
    out.write(
      'relay',
      'stdout',
      Buffer.from(
        'relay up\nHIVELAB_READY {"type":"hivelab-ready","runtimeUpAt":1,"codeLoadedAt":1,"initDoneAt":1,"listeningAt":1}\n',
      ),
    );
    out.write('function', 'stderr', Buffer.from('warn: '));
    out.write('function', 'stderr', Buffer.from('slow start\nno newline at the end'));
    out.end(crashed);
    expect(contents(store.read('default', 'fn'))).toEqual([
      'stdout:relay up',
      'stderr:warn: slow start',
      'stderr:no newline at the end',
    ]);
    expect(contents(store.read('default', 'fn', { container: 'relay' }))).toEqual(['stdout:relay up']);
    const [meta] = store.instances('default', 'fn');
    expect(meta).toMatchObject({ instanceId: 'fn-1', containers: ['relay', 'function'], exit: crashed });
    expect(store.instances('default', 'other')).toEqual([]);
    expect(store.instances('..', 'fn')).toEqual([]);
  });

  it('joins the pieces of a long line and filters by time', async () => {
    const store = new InstanceLogStore(path.join(root, 'b'));
    const out = store.open(spec('long'), 'long-1');
    out.write('user-container', 'stdout', Buffer.from(`${'x'.repeat(40_000)}\n`));
    await new Promise((r) => setTimeout(r, 20));
    const cut = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    out.write('user-container', 'stdout', Buffer.from('late\n'));
    const all = store.read('default', 'long');
    expect(all.map((l) => l.content.length)).toEqual([40_000, 4]);
    expect(contents(store.read('default', 'long', { sinceEpochMs: cut }))).toEqual(['stdout:late']);
    out.end(stopped);
  });

  it('rotates a container log at maxFileBytes, keeping maxFiles files, and reads the newest lines', () => {
    const dir = path.join(root, 'c');
    const store = new InstanceLogStore(dir, { maxFileBytes: 4096, maxFiles: 2, maxInstances: 5 });
    const out = store.open(spec('chatty'), 'chatty-1');
    for (let i = 0; i < 1000; i++) out.write('user-container', 'stdout', Buffer.from(`line ${i}\n`));
    out.end(stopped);
    const instanceDir = path.join(dir, 'default', 'chatty', 'chatty-1');
    const files = readdirSync(instanceDir).sort();
    expect(files).toEqual(['instance.json', 'user-container.log', 'user-container.log.1']);
    for (const file of files.filter((f) => f.includes('.log'))) {
      expect(statSync(path.join(instanceDir, file)).size).toBeLessThanOrEqual(4096);
    }
    const lines = store.read('default', 'chatty');
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.length).toBeLessThan(1000);
    expect(lines.at(-1)?.content).toBe('line 999');
    // In order and without gaps from the oldest kept line on.
    const first = Number(lines[0]!.content.split(' ')[1]);
    expect(lines.map((l) => l.content)).toEqual(lines.map((_, k) => `line ${first + k}`));
  });

  it('keeps the logs of at most maxInstances instances, dropping the oldest ended ones, never a running one', () => {
    const store = new InstanceLogStore(path.join(root, 'd'), {
      maxFileBytes: 4096,
      maxFiles: 1,
      maxInstances: 2,
    });
    const running = store.open(spec('many'), 'many-0');
    running.write('user-container', 'stdout', Buffer.from('still here\n'));
    for (let i = 1; i <= 3; i++) {
      const out = store.open(spec('many'), `many-${i}`);
      out.write('user-container', 'stdout', Buffer.from(`instance ${i}\n`));
      out.end(crashed);
    }
    const ids = store.instances('default', 'many').map((m) => m.instanceId);
    expect(ids).toContain('many-0');
    expect(ids).toContain('many-3');
    expect(ids).not.toContain('many-1');
    expect(ids.length).toBeLessThanOrEqual(3);
    running.end(stopped);
  });

  it('follows new lines of the selection and says when an instance ended', () => {
    const store = new InstanceLogStore(path.join(root, 'e'));
    const a = store.open(spec('f'), 'f-a');
    const b = store.open(spec('f'), 'f-b');
    const seen: string[] = [];
    const unsubscribe = store.follow(
      'default',
      'f',
      { instanceId: 'f-a' },
      {
        onLine: (line) => seen.push(`${line.instanceId} ${line.content}`),
        onInstanceEnd: (id) => seen.push(`end ${id}`),
      },
    );
    a.write('user-container', 'stdout', Buffer.from('one\n'));
    b.write('user-container', 'stdout', Buffer.from('not followed\n'));
    a.write('user-container', 'stderr', Buffer.from('two'));
    b.end(stopped);
    a.end(crashed);
    unsubscribe();
    a.write('user-container', 'stdout', Buffer.from('after\n'));
    expect(seen).toEqual(['f-a one', 'f-a two', 'end f-a']);
  });

  it('reports an instance an earlier platform never ended as stopped with that platform', () => {
    const dir = path.join(root, 'f');
    const instanceDir = path.join(dir, 'default', 'old', 'old-1');
    new InstanceLogStore(dir)
      .open(spec('old'), 'old-1')
      .write('user-container', 'stdout', Buffer.from('x\n'));
    const meta = {
      instanceId: 'old-1',
      namespace: 'default',
      name: 'old',
      sandbox: 'process',
      containers: ['user-container'],
      startedAt: rfc3339Nano(Date.now()),
      platformPid: 999_999_999,
    };
    writeFileSync(path.join(instanceDir, 'instance.json'), JSON.stringify(meta));
    expect(new InstanceLogStore(dir).instances('default', 'old')[0]?.exit?.message).toMatch(
      /its platform \(pid 999999999\) stopped/,
    );
  });
});
