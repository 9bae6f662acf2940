import { describe, expect, it } from 'vitest';
import { classifyExit, couldNotStartExit, meaningfulLine } from './launch/exit-reason.js';
import { cgroupWrappedCommand, parseOomKillCount } from './accounting/instance-cgroup.js';
import { detectIsolation } from './accounting/isolation.js';
import { computePhases, phaseDurations, withReadinessProbe } from './cold-start/phases.js';
import { PrewarmPool } from './cold-start/prewarm-pool.js';
import { parseSchedstatCpuUs, parseStatCpuUs, parseStatusMemory } from './accounting/proc-stats.js';
import { RESTORE_GLIBC_TUNABLES, restoreEnv } from './cold-start/restore-env.js';
import { snapshotKey } from './cold-start/snapshot-store.js';
import { LineTail } from './launch/stderr-tail.js';

describe('computePhases', () => {
  it('turns timestamps into offsets from launch', () => {
    expect(
      computePhases({
        launchAt: 1000,
        spawnedAt: 1002,
        runtimeUpAt: 1020,
        codeLoadedAt: 1025,
        initDoneAt: 1040,
        readyAt: 1041,
      }),
    ).toEqual({ spawnMs: 2, runtimeInitMs: 20, codeLoadMs: 25, functionInitMs: 40, readyMs: 41 });
  });

  it('clamps clock skew and stale runner times (prewarmed) into a monotonic sequence', () => {
    const phases = computePhases({
      launchAt: 1000,
      spawnedAt: 1000,
      runtimeUpAt: 400, // the pooled runtime came up long before the launch
      codeLoadedAt: 1003,
      initDoneAt: 1002.5, // another process's clock, a hair behind
      readyAt: 1010,
    });
    expect(phases).toEqual({ spawnMs: 0, runtimeInitMs: 0, codeLoadMs: 3, functionInitMs: 3, readyMs: 10 });
    expect(phaseDurations(phases)).toEqual({
      spawnMs: 0,
      runtimeInitMs: 0,
      codeLoadMs: 3,
      functionInitMs: 0,
      readyMs: 7,
    });
  });

  it("makes a spec readinessProbe's wait the last phase, still summing to the cold start", () => {
    const sandbox = { spawnMs: 2, runtimeInitMs: 20, codeLoadMs: 25, functionInitMs: 26, readyMs: 30 };
    const probed = withReadinessProbe(sandbox, 1500);
    expect(probed).toEqual({ ...sandbox, sandboxReadyMs: 30, readyMs: 1530 });
    const durations = phaseDurations(probed);
    expect(durations).toEqual({
      spawnMs: 2,
      runtimeInitMs: 18,
      codeLoadMs: 5,
      functionInitMs: 1,
      sandboxReadyMs: 4,
      readyMs: 1500,
    });
    const sum = Object.values(durations).reduce((a: number, b) => a + (typeof b === 'number' ? b : 0), 0);
    expect(sum).toBe(probed.readyMs);
    // A clock that went backwards never makes the probe's wait negative.
    expect(withReadinessProbe({ spawnMs: 1, readyMs: 9 }, -0.2).readyMs).toBe(9);
  });

  it('leaves out the runner phases an executable that is not ours never reported', () => {
    const phases = computePhases({ launchAt: 0, spawnedAt: 5, readyAt: 30 });
    expect(phases).toEqual({ spawnMs: 5, readyMs: 30 });
    expect(phaseDurations(phases)).toEqual({ spawnMs: 5, readyMs: 25 });
  });
});

describe('classifyExit', () => {
  const base = {
    code: 1,
    signal: null,
    stopping: false,
    killedOverMemory: false,
    memoryLimitBytes: 256 * 1024 * 1024,
    enforcedBy: 'cgroup v1 OOM killer',
    stderrLines: [],
  };

  it('a stop we asked for is stopped, whatever the code', () => {
    expect(classifyExit({ ...base, signal: 'SIGKILL', code: null, stopping: true }).reason).toBe('stopped');
  });

  it('an OOM kill names the limit and how it was enforced', () => {
    const exit = classifyExit({ ...base, code: null, signal: 'SIGKILL', killedOverMemory: true });
    expect(exit.reason).toBe('oom');
    expect(exit.message).toBe(
      'out of memory: killed over the memory limit of 256 MB (cgroup v1 OOM killer); killed by SIGKILL',
    );
  });

  it("V8's own heap exhaustion counts as oom", () => {
    const exit = classifyExit({
      ...base,
      stderrLines: ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
    });
    expect(exit.reason).toBe('oom');
  });

  it('a crash quotes the error line, not the stack or the Node footer', () => {
    const lines = [
      '/srv/fn.js:3',
      "    throw new Error('boom');",
      '    ^',
      'Error: boom',
      '    at Object.<anonymous> (/srv/fn.js:3:11)',
      'Node.js v20.19.0',
    ];
    expect(meaningfulLine(lines)).toBe('Error: boom');
    expect(classifyExit({ ...base, stderrLines: lines }).message).toBe('exited with code 1: Error: boom');
    expect(classifyExit({ ...base, code: 3 }).message).toBe('exited with code 3');
  });
});

describe('/proc parsers', () => {
  it('reads utime+stime after a command name with spaces and parentheses', () => {
    const stat = '4242 (node (fn) x) S 1 4242 4242 0 -1 4194560 1 0 0 0 150 25 0 0 20 0 11 0 1 2 3';
    expect(parseStatCpuUs(stat)).toBe(1_750_000);
  });

  it('reads schedstat nanoseconds as µs', () => {
    expect(parseSchedstatCpuUs('2500000 100 7\n')).toBe(2500);
  });

  it('reads VmRSS and VmHWM', () => {
    const status = 'Name:\tnode\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\n';
    expect(parseStatusMemory(status)).toEqual({ rssBytes: 40960 * 1024, peakRssBytes: 51200 * 1024 });
  });
});

describe('cgroups', () => {
  it('parses the OOM-kill counter of v1 oom_control and v2 memory.events', () => {
    expect(parseOomKillCount('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n')).toBe(2);
    expect(parseOomKillCount('low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n')).toBe(1);
    expect(parseOomKillCount('oom_kill_disable 0\n')).toBe(0);
  });

  it('wraps a command so the process joins its cgroups before exec', () => {
    const argv = cgroupWrappedCommand({ procsFiles: ['/cg/a/cgroup.procs'] }, ['/usr/bin/node', 'my app.js']);
    expect(argv).toEqual([
      '/bin/sh',
      '-c',
      `echo $$ > '/cg/a/cgroup.procs' && exec "$0" "$@"`,
      '/usr/bin/node',
      'my app.js',
    ]);
  });

  it('detects one isolation and explains it', () => {
    const isolation = detectIsolation();
    expect(['v1', 'v2', 'none']).toContain(isolation.cgroup);
    expect(isolation.memoryLimit).toBe(isolation.cgroup === 'none' ? 'rss-watchdog' : 'cgroup');
    expect(isolation.detail.length).toBeGreaterThan(0);
    expect(detectIsolation()).toBe(isolation);
  });
});

describe('restoreEnv', () => {
  it('adds the huge-page malloc tuning without touching the input, and keeps a GLIBC_TUNABLES already set', () => {
    const env = { PORT: '8080' };
    expect(restoreEnv(env)).toEqual({ PORT: '8080', GLIBC_TUNABLES: RESTORE_GLIBC_TUNABLES });
    expect(env).toEqual({ PORT: '8080' });
    const own = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
    expect(restoreEnv(own)).toEqual(own);
  });
});

describe('snapshotKey', () => {
  const node = { version: 'v20.19.0', arch: 'x64', execPath: '/usr/bin/node' };
  it('changes with the code and with the Node binary', () => {
    const key = snapshotKey('bundle', node);
    expect(key).toMatch(/^[0-9a-f]{20}$/);
    expect(snapshotKey('bundle', node)).toBe(key);
    expect(snapshotKey('bundle2', node)).not.toBe(key);
    expect(snapshotKey('bundle', { ...node, version: 'v22.0.0' })).not.toBe(key);
    expect(snapshotKey('bundle', { ...node, execPath: '/opt/node/bin/node' })).not.toBe(key);
  });
});

describe('LineTail', () => {
  it('keeps the last lines across chunk boundaries', () => {
    const tail = new LineTail(2);
    const seen: string[] = [];
    tail.push('one\ntw', (l) => seen.push(l));
    tail.push('o\nthree\nfou', (l) => seen.push(l));
    expect(seen).toEqual(['one', 'two', 'three']);
    expect(tail.all()).toEqual(['two', 'three', 'fou']);
    expect(tail.last()).toBe('fou');
  });
});

describe('PrewarmPool', () => {
  it('hands out runtimes, refills after a take, skips dead ones, disposes on close', async () => {
    let started = 0;
    const alive = new Set<number>();
    const disposed: number[] = [];
    const pool = new PrewarmPool<number>(
      {
        start: () => {
          const id = ++started;
          alive.add(id);
          return { runtime: id, idle: Promise.resolve() };
        },
        isAlive: (id) => alive.has(id),
        dispose: (id) => disposed.push(id),
      },
      2,
      1,
    );
    await pool.fill();
    expect(pool.available).toBe(2);
    alive.delete(1);
    expect(pool.take()).toBe(2);
    expect(pool.available).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(pool.available).toBe(2);
    pool.close();
    expect(disposed).toEqual([3, 4]);
    expect(pool.take()).toBeUndefined();
  });

  it('refills only once the cold start of the taken runtime is over and settled, not during it', async () => {
    let started = 0;
    const pool = new PrewarmPool<number>(
      {
        start: () => ({ runtime: ++started, idle: Promise.resolve() }),
        isAlive: () => true,
        dispose: () => undefined,
      },
      1,
      60_000,
      40,
    );
    await pool.fill();
    let over!: () => void;
    expect(pool.take(new Promise<void>((resolve) => (over = resolve)))).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(1);
    over();
    // The first answer's last bytes may still be on their way out: not yet.
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(started).toBe(2);
    expect(pool.available).toBe(1);
    pool.close();
  });
});

describe('couldNotStartExit', () => {
  it('says the instance never started, and why', () => {
    expect(couldNotStartExit(new Error('spawn nope ENOENT'))).toEqual({
      reason: 'crashed',
      code: null,
      signal: null,
      message: 'could not start: spawn nope ENOENT',
    });
  });
});
