/**
 * `InstanceLogStore`: every instance's stdout and stderr under the data dir, as the kubelet
 * keeps container logs: `<root>/<namespace>/<name>/<instance>/<container>.log` in the CRI
 * format (cri-log-line.ts), bounded per container (rotating-log-file.ts) and per function
 * (the logs of at most `maxInstances` instances; the oldest ended ones go first), kept
 * after the instance is gone, so a crashed instance's logs stay readable. Readers get what
 * is on disk and, following, every line as it is written.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseReportLine } from '../runtime/index.js';
import type { FunctionSpec } from '../function-spec/function-spec.js';
import type { InstanceOutput, SandboxExit } from '../sandbox/sandbox.js';
import { epochMsOf, formatCriRecord, parseCriRecord, rfc3339Nano } from './cri-log-line.js';
import type { LogStream } from './cri-log-line.js';
import { parseInstanceMeta } from './instance-log-meta.js';
import type { InstanceLogMeta } from './instance-log-meta.js';
import { OutputLines } from './output-lines.js';
import { RotatingLogFile, filesOldestFirst } from './rotating-log-file.js';

export interface LogLimits {
  /** Bytes per log file before it rotates (kubelet: `containerLogMaxSize`, 10 Mi). @default 1 MiB */
  maxFileBytes: number;
  /** Files per container, the current one included (kubelet: 5). @default 2 */
  maxFiles: number;
  /** Instances whose logs are kept per function. @default 20 */
  maxInstances: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { maxFileBytes: 1024 * 1024, maxFiles: 2, maxInstances: 20 };

/** One line of an instance's output (pieces of a split line joined). */
export interface LogLine {
  instanceId: string;
  container: string;
  stream: LogStream;
  /** RFC 3339 with nanoseconds, when the line (its first piece) was written. */
  time: string;
  content: string;
}

/** Which lines: one instance or all, one container or all, since when. */
export interface LogSelection {
  instanceId?: string;
  container?: string;
  /** Epoch ms: lines written at or after it. */
  sinceEpochMs?: number;
}

export interface LogFollower {
  onLine(line: LogLine): void;
  /** An instance of the function ended (after its last line). */
  onInstanceEnd(instanceId: string): void;
}

interface OpenContainer {
  file: RotatingLogFile;
  lines: Record<LogStream, OutputLines>;
  /** The time of the first piece of a line being split, per stream. */
  pendingTime: Partial<Record<LogStream, string>>;
}

/** An instance of an earlier platform run that never recorded its end: ended with that platform. */
function withLostEnd(meta: InstanceLogMeta): InstanceLogMeta {
  if (meta.exit || meta.platformPid === process.pid) return meta;
  const message = `its platform (pid ${meta.platformPid ?? '?'}) stopped before it recorded the end`;
  return { ...meta, exit: { reason: 'stopped', code: null, signal: null, message } };
}

/** Safe as one path segment: what instance ids, names and container names look like. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class InstanceLogStore {
  private readonly followers = new Map<string, Set<{ selection: LogSelection; follower: LogFollower }>>();
  private lastEpochMs = 0;

  constructor(
    readonly root: string,
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Starts the logs of one instance; what the sandbox driver's `onOutput` returns. */
  open(
    spec: Pick<FunctionSpec, 'namespace' | 'name' | 'sandbox' | 'containers'>,
    instanceId: string,
  ): InstanceOutput {
    const containers = spec.containers?.map((c) => c.name) ?? ['user-container'];
    const meta: InstanceLogMeta = {
      instanceId,
      namespace: spec.namespace,
      name: spec.name,
      sandbox: spec.sandbox,
      containers,
      startedAt: rfc3339Nano(Date.now()),
      platformPid: process.pid,
    };
    const dir = this.instanceDir(spec.namespace, spec.name, instanceId);
    const key = `${spec.namespace}/${spec.name}`;
    const open = new Map<string, OpenContainer>();
    let failed = false;
    const guard = (what: string, fn: () => void): void => {
      if (failed) return;
      try {
        fn();
      } catch (error) {
        // Logs must never take an instance down: say so once, then drop its output.
        failed = true;
        this.onError(
          `logs of ${instanceId}: ${what} failed (${(error as Error).message}); its output is no longer kept`,
        );
      }
    };
    guard('creating the log folder', () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'instance.json'), JSON.stringify(meta));
      this.prune(spec.namespace, spec.name);
    });
    const containerOf = (name: string): OpenContainer => {
      let entry = open.get(name);
      if (!entry) {
        const file = path.join(dir, `${SEGMENT.test(name) ? name : 'container'}.log`);
        entry = {
          file: new RotatingLogFile(file, this.limits.maxFileBytes, this.limits.maxFiles),
          lines: { stdout: new OutputLines(), stderr: new OutputLines() },
          pendingTime: {},
        };
        open.set(name, entry);
      }
      return entry;
    };
    const emit = (container: string, stream: LogStream, pieces: ReturnType<OutputLines['push']>): void => {
      const entry = containerOf(container);
      for (const piece of pieces) {
        // hivelab's runner reports readiness on stdout; that is the platform's, not the function's.
        if (stream === 'stdout' && piece.whole && parseReportLine(piece.content) !== undefined) continue;
        const time = this.now();
        entry.file.append(
          formatCriRecord({ time, stream, tag: piece.whole ? 'F' : 'P', content: piece.content }),
        );
        const lineTime = entry.pendingTime[stream] ?? time;
        if (!piece.whole) {
          entry.pendingTime[stream] = lineTime;
          continue;
        }
        delete entry.pendingTime[stream];
        this.notifyLine(key, { instanceId, container, stream, time: lineTime, content: piece.content });
      }
    };
    let ended = false;
    return {
      // Output that comes after the end (a pipe drained late) has nowhere to go: the files are closed.
      write: (container, stream, chunk) => {
        if (ended) return;
        guard('writing', () => emit(container, stream, containerOf(container).lines[stream].push(chunk)));
      },
      end: (exit: SandboxExit) => {
        if (ended) return;
        ended = true;
        guard('closing', () => {
          for (const [container, entry] of open) {
            emit(container, 'stdout', entry.lines.stdout.flush());
            emit(container, 'stderr', entry.lines.stderr.flush());
            entry.file.close();
          }
          writeFileSync(
            path.join(dir, 'instance.json'),
            JSON.stringify({ ...meta, endedAt: rfc3339Nano(Date.now()), exit }),
          );
        });
        for (const { selection, follower } of this.followers.get(key) ?? []) {
          if (selection.instanceId === undefined || selection.instanceId === instanceId) {
            follower.onInstanceEnd(instanceId);
          }
        }
      },
    };
  }

  /** The instances of a function that have logs, oldest first. */
  instances(namespace: string, name: string): InstanceLogMeta[] {
    if (!SEGMENT.test(namespace) || !SEGMENT.test(name)) return [];
    const functionDir = path.join(this.root, namespace, name);
    let entries: string[];
    try {
      entries = readdirSync(functionDir);
    } catch {
      return [];
    }
    const metas: InstanceLogMeta[] = [];
    for (const entry of entries) {
      try {
        const meta = parseInstanceMeta(readFileSync(path.join(functionDir, entry, 'instance.json'), 'utf8'));
        if (meta) metas.push(withLostEnd(meta));
      } catch {
        // Not an instance folder (or one being removed).
      }
    }
    return metas.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** The selected lines on disk, in time order. */
  read(namespace: string, name: string, selection: LogSelection = {}): LogLine[] {
    const lines: LogLine[] = [];
    for (const meta of this.instances(namespace, name)) {
      if (selection.instanceId !== undefined && meta.instanceId !== selection.instanceId) continue;
      for (const container of meta.containers) {
        if (selection.container !== undefined && container !== selection.container) continue;
        lines.push(...this.readContainer(meta, container, selection.sinceEpochMs));
      }
    }
    // Stable: lines of one file keep their order when two share a time.
    return lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  /**
   * Calls `follower` for every selected line written from now on; returns the unsubscribe.
   * Read, then follow, in the same tick: writes are synchronous, so nothing falls between.
   */
  follow(namespace: string, name: string, selection: LogSelection, follower: LogFollower): () => void {
    const key = `${namespace}/${name}`;
    let set = this.followers.get(key);
    if (!set) {
      set = new Set();
      this.followers.set(key, set);
    }
    const entry = { selection, follower };
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0) this.followers.delete(key);
    };
  }

  private readContainer(
    meta: InstanceLogMeta,
    container: string,
    sinceEpochMs: number | undefined,
  ): LogLine[] {
    const base = path.join(this.instanceDir(meta.namespace, meta.name, meta.instanceId), `${container}.log`);
    const lines: LogLine[] = [];
    const pending: Partial<Record<LogStream, { time: string; content: string }>> = {};
    for (const file of filesOldestFirst(base, this.limits.maxFiles)) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const raw of text.split('\n')) {
        const record = parseCriRecord(raw);
        if (!record) continue;
        const started = pending[record.stream];
        const time = started?.time ?? record.time;
        const content = (started?.content ?? '') + record.content;
        if (record.tag === 'P') {
          pending[record.stream] = { time, content };
          continue;
        }
        delete pending[record.stream];
        if (sinceEpochMs !== undefined && epochMsOf(time) < sinceEpochMs) continue;
        lines.push({ instanceId: meta.instanceId, container, stream: record.stream, time, content });
      }
    }
    return lines;
  }

  private notifyLine(key: string, line: LogLine): void {
    for (const { selection, follower } of this.followers.get(key) ?? []) {
      if (selection.instanceId !== undefined && selection.instanceId !== line.instanceId) continue;
      if (selection.container !== undefined && selection.container !== line.container) continue;
      follower.onLine(line);
    }
  }

  /** Removes the oldest ended instances' logs beyond `maxInstances` (running ones stay). */
  private prune(namespace: string, name: string): void {
    // Counting the folders is one readdir; the instance.json files are read only when there
    // is something to remove (a launch used to read all of them, up to maxInstances).
    let folders: number;
    try {
      folders = readdirSync(path.join(this.root, namespace, name)).length;
    } catch {
      return;
    }
    if (folders <= this.limits.maxInstances) return;
    const metas = this.instances(namespace, name);
    let excess = metas.length - this.limits.maxInstances;
    for (const meta of metas) {
      if (excess <= 0) break;
      if (!meta.exit) continue;
      rmSync(this.instanceDir(namespace, name, meta.instanceId), { recursive: true, force: true });
      excess--;
    }
  }

  private instanceDir(namespace: string, name: string, instanceId: string): string {
    for (const segment of [namespace, name, instanceId]) {
      if (!SEGMENT.test(segment)) throw new Error(`not a log path segment: ${JSON.stringify(segment)}`);
    }
    return path.join(this.root, namespace, name, instanceId);
  }

  /** Now, in epoch ms with µs, never before the last time handed out (lines stay in order). */
  private now(): string {
    const epochMs = Math.max(performance.timeOrigin + performance.now(), this.lastEpochMs);
    this.lastEpochMs = epochMs;
    return rfc3339Nano(epochMs);
  }
}
