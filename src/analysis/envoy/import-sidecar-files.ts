/**
 * I/O shell of `hivelab envoy import`: reads Envoy logs and eBPF tracer files as streams,
 * turns each finished sidecar stream into spans at once and hands them to a sink in
 * batches (awaiting it, so a slow collector slows the reading instead of filling memory).
 *
 * The one thing held back: with several files, a stream that has an `x-request-id` but no
 * trace context waits for the end, so both sidecars of a call can be linked in one trace
 * (kept as compact records, counted in `heldStreams`).
 */
import type { Span } from '../../spans/index.js';
import { EnvoyLogAssembler, type ImportProblem } from './envoy-log-assembler.js';
import { parseEbpfLine } from './ebpf-record.js';
import { readLineBatches } from './line-reader.js';
import { serviceFromFileName } from './service-name.js';
import type { SidecarStream } from './sidecar-stream.js';
import { linkRequestStreams, placeStream, sidecarStreamSpans, streamSpanId } from './stream-spans.js';

/** Where spans go: `write` is awaited before more input is read. */
export interface SpanSink {
  write(spans: Span[]): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link importSidecarFiles}. */
export interface ImportSidecarOptions {
  files: readonly string[];
  sink: SpanSink;
  /** The service name of every file; default: from each file's name. */
  service?: string;
  /** TAI − UTC for eBPF records. @default 37000 */
  taiOffsetMs?: number;
  /** Spans handed to the sink at once. @default 1000 */
  batchSpans?: number;
  /** Problems kept with their `file:line` (all are counted). @default 20 */
  maxProblemsKept?: number;
}

/** What an import did. */
export interface ImportReport {
  files: number;
  lines: number;
  streams: number;
  spans: number;
  /** Streams cut short by the end of input or a reset. */
  incompleteStreams: number;
  /** Streams held to the end to link sidecars by `x-request-id`. */
  heldStreams: number;
  problemCount: number;
  problems: ImportProblem[];
}

type FileFormat = 'envoy-log' | 'ebpf';

function detectFormat(line: string): FileFormat {
  const text = line.trimStart();
  if (text.startsWith('{') || /^(Stream ID|Connection ID|X-Request-ID): /.test(text)) return 'ebpf';
  return 'envoy-log';
}

/** Reads every file and writes its spans to `options.sink` (closed at the end). */
export async function importSidecarFiles(options: ImportSidecarOptions): Promise<ImportReport> {
  const report: ImportReport = {
    files: 0,
    lines: 0,
    streams: 0,
    spans: 0,
    incompleteStreams: 0,
    heldStreams: 0,
    problemCount: 0,
    problems: [],
  };
  const maxKept = options.maxProblemsKept ?? 20;
  const batchSpans = options.batchSpans ?? 1000;
  const holdForLinking = options.files.length > 1;
  const held = new Map<string, SidecarStream[]>();
  let pending: Span[] = [];

  const onProblem = (problem: ImportProblem): void => {
    report.problemCount++;
    if (report.problems.length < maxKept) report.problems.push(problem);
  };
  const onStream = (stream: SidecarStream): void => {
    report.streams++;
    if (stream.incomplete === true) report.incompleteStreams++;
    if (holdForLinking && stream.trace === undefined && stream.requestId !== undefined) {
      report.heldStreams++;
      const group = held.get(stream.requestId);
      if (group) group.push(stream);
      else held.set(stream.requestId, [stream]);
      return;
    }
    for (const span of sidecarStreamSpans(stream, placeStream(stream))) pending.push(span);
  };
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    report.spans += batch.length;
    await options.sink.write(batch);
  };

  for (const file of options.files) {
    report.files++;
    const service = options.service ?? serviceFromFileName(file);
    let format: FileFormat | undefined;
    let assembler: EnvoyLogAssembler | undefined;
    let lineNumber = 0;
    for await (const lines of readLineBatches(file)) {
      for (const line of lines) {
        lineNumber++;
        if (format === undefined) {
          if (line.trim() === '' || line.startsWith('Tracing...')) continue;
          format = detectFormat(line);
          if (format === 'envoy-log')
            assembler = new EnvoyLogAssembler({ file, service, onStream, onProblem });
        }
        if (assembler !== undefined) {
          assembler.line(line, lineNumber);
          continue;
        }
        const result = parseEbpfLine(line, {
          file,
          lineNumber,
          service,
          ...(options.taiOffsetMs !== undefined ? { taiOffsetMs: options.taiOffsetMs } : {}),
        });
        if ('stream' in result) onStream(result.stream);
        else if ('error' in result) onProblem({ file, line: lineNumber, reason: result.error });
      }
      if (pending.length >= batchSpans) await flush();
    }
    report.lines += lineNumber;
    assembler?.end();
    await flush();
  }

  for (const group of held.values()) {
    const parents = linkRequestStreams(group);
    const idOf = new Map(group.map((stream) => [stream.key, streamSpanId(stream)]));
    for (const stream of group) {
      const parentKey = parents.get(stream.key);
      const parentId = parentKey === undefined ? undefined : idOf.get(parentKey);
      for (const span of sidecarStreamSpans(stream, placeStream(stream, parentId))) pending.push(span);
    }
    if (pending.length >= batchSpans) await flush();
  }
  await flush();
  await options.sink.close();
  return report;
}
