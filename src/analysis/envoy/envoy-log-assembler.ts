/**
 * Pure state machine: the lines of one Envoy trace/debug log in, one {@link SidecarStream}
 * per finished downstream stream out (through a callback, so a file of any size is read
 * with memory bounded by the streams and connections open at once).
 *
 * A downstream stream is keyed by (file, connection id, stream id). Connection-level lines
 * (`parsing N bytes`, `read ready`, `writing N bytes`) are remembered per connection and
 * taken by the stream they serve. The upstream connection of a stream is the one whose
 * `creating stream` line comes just before the stream's `pool ready` on the same worker
 * thread (Envoy runs a connection and its streams on one thread), or else the first other
 * connection that writes on that thread after it.
 */
import { parseEnvoyLogLine, parseHeaderDumpLine, type EnvoyLogLine } from './envoy-log-line.js';
import { stagesFromMarks, type SidecarStream } from './sidecar-stream.js';
import { traceContextOfDumps } from './header-trace-context.js';

/** Input the reader could not use, by `file:line`. */
export interface ImportProblem {
  file: string;
  line: number;
  reason: string;
}

/** Options of {@link EnvoyLogAssembler}. */
export interface EnvoyLogAssemblerOptions {
  /** The file name used in keys and `file:line` reports. */
  file: string;
  /** The sidecar's workload: the spans' service name. */
  service: string;
  onStream: (stream: SidecarStream) => void;
  onProblem: (problem: ImportProblem) => void;
  /** Streams open at once before the oldest is given up as incomplete. @default 100000 */
  maxOpenStreams?: number;
  /** Connections remembered at once (least recently used forgotten first). @default 20000 */
  maxConnections?: number;
}

interface ConnectionState {
  establishedUs?: number;
  downstream?: boolean;
  lastParseUs?: number;
  lastReadReadyUs?: number;
  lastWriteUs?: number;
  streams: number;
  /** Downstream streams bound to this upstream connection and waiting for its response. */
  waiting?: Set<OpenStream>;
}

type DumpKind = 'request' | 'router' | 'response' | 'encode' | 'other';

interface OpenStream {
  key: string;
  firstLine: number;
  lastLine: number;
  connectionId: string;
  streamId: string;
  connectionUs?: number;
  parseStartUs?: number;
  firstUs: number;
  lastUs: number;
  headersCompleteUs?: number;
  routerUs?: number;
  poolReadyUs?: number;
  upstreamConnection?: string;
  upstreamWriteUs?: number;
  readReadyUs?: number;
  upstreamParseUs?: number;
  upstreamHeadersUs?: number;
  endUs?: number;
  cluster?: string;
  dumps: Partial<Record<DumpKind, Record<string, string>>>;
}

interface ThreadState {
  poolConnection?: string;
  awaitingUpstream?: OpenStream;
}

const CLUSTER = /^cluster '([^']*)' match/;

function dumpKind(message: string): DumpKind {
  if (message.startsWith('request headers complete')) return 'request';
  if (message.startsWith('router decoding headers')) return 'router';
  if (message.includes('upstream response headers')) return 'response';
  if (message.startsWith('encoding headers via codec')) return 'encode';
  return 'other';
}

/** Feeds lines of one Envoy log; see the module comment. */
export class EnvoyLogAssembler {
  private readonly connections = new Map<string, ConnectionState>();
  private readonly streams = new Map<string, OpenStream>();
  private readonly threads = new Map<string, ThreadState>();
  private dump: { headers: Record<string, string> } | undefined;
  private readonly maxOpenStreams: number;
  private readonly maxConnections: number;

  constructor(private readonly options: EnvoyLogAssemblerOptions) {
    this.maxOpenStreams = options.maxOpenStreams ?? 100_000;
    this.maxConnections = options.maxConnections ?? 20_000;
  }

  /** One line (without its newline); `lineNumber` counts from 1. */
  line(text: string, lineNumber: number): void {
    const parsed = parseEnvoyLogLine(text);
    if (parsed === undefined) {
      this.continuation(text, lineNumber);
      return;
    }
    this.dump = undefined;
    if (parsed.connectionId === undefined) return;
    if (parsed.streamId === undefined) this.connectionLine(parsed, parsed.connectionId);
    else this.streamLine(parsed, parsed.connectionId, parsed.streamId, lineNumber);
  }

  /** The input ended: every stream still open is given out as incomplete and reported. */
  end(): void {
    for (const stream of this.streams.values()) this.finish(stream, true);
    this.streams.clear();
  }

  private continuation(text: string, lineNumber: number): void {
    const body = text.replace(/\tthread=\d+$/, '');
    if (this.dump !== undefined) {
      if (body.trim() === '') {
        this.dump = undefined;
        return;
      }
      const header = parseHeaderDumpLine(body);
      if (header) {
        this.dump.headers[header[0]] = header[1];
        return;
      }
      this.dump = undefined;
    } else if (body.trim() === '') {
      return;
    }
    this.options.onProblem({
      file: this.options.file,
      line: lineNumber,
      reason: `unparseable line: ${JSON.stringify(text.slice(0, 80))}`,
    });
  }

  private connection(id: string): ConnectionState {
    let state = this.connections.get(id);
    if (state === undefined) {
      state = { streams: 0 };
      // A log without close lines must not grow without bound: forget the least recently
      // used connection (the Map keeps use order: a used one is moved to the end below).
      if (this.connections.size >= this.maxConnections) {
        const oldest = this.connections.keys().next().value;
        if (oldest !== undefined) this.connections.delete(oldest);
      }
    } else {
      this.connections.delete(id);
    }
    this.connections.set(id, state);
    return state;
  }

  private thread(id: string): ThreadState {
    let state = this.threads.get(id);
    if (state === undefined) {
      state = {};
      this.threads.set(id, state);
    }
    return state;
  }

  private connectionLine(line: EnvoyLogLine, id: string): void {
    const message = line.message;
    const state = this.connection(id);
    if (message.startsWith('parsing ') || message.startsWith('dispatching ')) {
      state.lastParseUs = line.timeUs;
    } else if (message.startsWith('writing ')) {
      state.lastWriteUs = line.timeUs;
      const thread = this.thread(line.thread);
      const waiting = thread.awaitingUpstream;
      if (waiting !== undefined && waiting.connectionId !== id && state.downstream !== true) {
        this.bind(waiting, id);
        thread.awaitingUpstream = undefined;
      }
      this.upstreamWrite(state, line.timeUs);
    } else if (message.startsWith('read ready')) {
      state.lastReadReadyUs = line.timeUs;
    } else if (message === 'creating stream') {
      this.thread(line.thread).poolConnection = id;
    } else if (message.startsWith('new connection from')) {
      state.downstream = true;
      state.establishedUs ??= line.timeUs;
    } else if (message.startsWith('raising connection event ')) {
      const event = message.slice('raising connection event '.length);
      if (event === '2' || event === '3') state.establishedUs ??= line.timeUs;
      else this.connections.delete(id);
    } else if (message.startsWith('closing socket')) {
      this.connections.delete(id);
    }
  }

  private openStream(
    line: EnvoyLogLine,
    connectionId: string,
    streamId: string,
    lineNumber: number,
  ): OpenStream {
    const key = `${connectionId}/${streamId}`;
    let stream = this.streams.get(key);
    if (stream !== undefined) return stream;
    const connection = this.connection(connectionId);
    connection.downstream = true;
    stream = {
      key,
      firstLine: lineNumber,
      lastLine: lineNumber,
      connectionId,
      streamId,
      firstUs: line.timeUs,
      lastUs: line.timeUs,
      dumps: {},
    };
    if (connection.lastParseUs !== undefined) stream.parseStartUs = connection.lastParseUs;
    if (connection.streams === 0 && connection.establishedUs !== undefined) {
      stream.connectionUs = connection.establishedUs;
    }
    connection.streams++;
    if (this.streams.size >= this.maxOpenStreams) {
      const oldest = this.streams.values().next().value;
      if (oldest !== undefined) {
        this.streams.delete(oldest.key);
        this.finish(oldest, true);
      }
    }
    this.streams.set(key, stream);
    return stream;
  }

  private streamLine(line: EnvoyLogLine, connectionId: string, streamId: string, lineNumber: number): void {
    const stream = this.openStream(line, connectionId, streamId, lineNumber);
    stream.lastUs = line.timeUs;
    stream.lastLine = lineNumber;
    const message = line.message;
    if (message.endsWith(':')) {
      const kind = dumpKind(message);
      const headers: Record<string, string> = {};
      if (kind !== 'other') stream.dumps[kind] = headers;
      this.dump = { headers };
    }
    if (message.startsWith('request headers complete')) {
      stream.headersCompleteUs ??= line.timeUs;
    } else if (message.startsWith('router decoding headers')) {
      stream.routerUs ??= line.timeUs;
    } else if (message === 'pool ready') {
      stream.poolReadyUs = line.timeUs;
      const thread = this.thread(line.thread);
      if (thread.poolConnection !== undefined) {
        this.bind(stream, thread.poolConnection);
        thread.poolConnection = undefined;
      } else {
        thread.awaitingUpstream = stream;
      }
    } else if (message.includes('upstream response headers')) {
      stream.upstreamHeadersUs ??= line.timeUs;
      this.takeUpstreamTimes(stream);
    } else if (message.startsWith('Codec completed encoding stream')) {
      stream.endUs = line.timeUs;
      this.streams.delete(stream.key);
      this.finish(stream, false);
    } else if (message.startsWith('stream reset') || message.startsWith('resetting stream')) {
      this.streams.delete(stream.key);
      this.finish(stream, true);
    } else {
      const cluster = CLUSTER.exec(message);
      if (cluster) stream.cluster = cluster[1]!;
    }
  }

  private bind(stream: OpenStream, connectionId: string): void {
    stream.upstreamConnection = connectionId;
    const upstream = this.connection(connectionId);
    (upstream.waiting ??= new Set()).add(stream);
  }

  private unbind(upstream: ConnectionState, stream: OpenStream): void {
    upstream.waiting?.delete(stream);
    if (upstream.waiting?.size === 0) delete upstream.waiting;
  }

  /**
   * A write on an upstream connection ends the `write` stage of the stream it carries: of
   * the only one waiting (HTTP/1.1, or a lone HTTP/2 stream: its last write, body included),
   * or of each waiting stream that has none yet (HTTP/2 streams sharing the connection).
   */
  private upstreamWrite(upstream: ConnectionState, timeUs: number): void {
    const waiting = upstream.waiting;
    if (waiting === undefined || waiting.size === 0) return;
    for (const stream of waiting) {
      if (waiting.size === 1 || stream.upstreamWriteUs === undefined) stream.upstreamWriteUs = timeUs;
    }
  }

  /** At the response headers: the upstream connection's last read and parse. */
  private takeUpstreamTimes(stream: OpenStream): void {
    if (stream.upstreamConnection === undefined) return;
    const upstream = this.connections.get(stream.upstreamConnection);
    if (upstream === undefined) return;
    this.unbind(upstream, stream);
    const after = stream.poolReadyUs ?? stream.routerUs ?? stream.firstUs;
    const afterWrite = stream.upstreamWriteUs ?? after;
    if (upstream.lastReadReadyUs !== undefined && upstream.lastReadReadyUs >= afterWrite) {
      stream.readReadyUs = upstream.lastReadReadyUs;
    }
    if (upstream.lastParseUs !== undefined && upstream.lastParseUs >= afterWrite) {
      stream.upstreamParseUs = upstream.lastParseUs;
    }
  }

  private finish(open: OpenStream, incomplete: boolean): void {
    for (const thread of this.threads.values()) {
      if (thread.awaitingUpstream === open) thread.awaitingUpstream = undefined;
    }
    if (open.upstreamConnection !== undefined)
      this.connections.get(open.upstreamConnection)?.waiting?.delete(open);
    const { file, service } = this.options;
    if (incomplete) {
      this.options.onProblem({
        file,
        line: open.lastLine,
        reason: `stream C${open.connectionId}/S${open.streamId} ends before "Codec completed encoding stream" (truncated or reset)`,
      });
    }
    const request = open.dumps.request ?? {};
    const router = open.dumps.router ?? {};
    const processStartUs = open.upstreamWriteUs ?? open.poolReadyUs;
    const readStartUs = open.readReadyUs ?? open.upstreamParseUs;
    const stages = stagesFromMarks([
      ['connection', open.connectionUs, open.parseStartUs ?? open.headersCompleteUs],
      ['downstream-parsing', open.parseStartUs, open.headersCompleteUs],
      ['request-filters', open.headersCompleteUs, open.routerUs],
      ['socket-waiting', open.routerUs, open.poolReadyUs],
      ['write', open.poolReadyUs, open.upstreamWriteUs],
      ['process-time', processStartUs, readStartUs ?? open.upstreamHeadersUs],
      ['read', open.readReadyUs, open.upstreamParseUs],
      ['upstream-parsing', open.upstreamParseUs, open.upstreamHeadersUs],
      ['response-filters', open.upstreamHeadersUs, open.endUs],
    ]);
    const startUs = Math.min(open.firstUs, open.connectionUs ?? Infinity, open.parseStartUs ?? Infinity);
    const stream: SidecarStream = {
      source: `${file}:${open.firstLine}`,
      service,
      key: `${file}#${open.key}`,
      connectionId: open.connectionId,
      streamId: open.streamId,
      startUs,
      endUs: Math.max(open.endUs ?? open.lastUs, startUs),
      stages,
      origin: 'envoy-log',
    };
    const requestId = router['x-request-id'] ?? request['x-request-id'];
    if (requestId !== undefined) stream.requestId = requestId;
    const trace = traceContextOfDumps(request, router);
    if (trace !== undefined) stream.trace = trace;
    const method = request[':method'] ?? router[':method'];
    if (method !== undefined) stream.method = method;
    const path = request[':path'] ?? router[':path'];
    if (path !== undefined) stream.path = path;
    const authority = request[':authority'] ?? router[':authority'];
    if (authority !== undefined) stream.authority = authority;
    const status = open.dumps.encode?.[':status'] ?? open.dumps.response?.[':status'];
    if (status !== undefined) stream.statusCode = status;
    if (open.cluster !== undefined) stream.upstreamCluster = open.cluster;
    if (incomplete) stream.incomplete = true;
    this.options.onStream(stream);
  }
}
