/**
 * Pure: the records of meshtrek's Envoy uprobe tracer (seed 003), one per line, as JSON
 * (`{"X-Request-ID": …, "Time HTTP Start": ns, …}`) or in its older one-line form
 * (`Stream ID: N, X-Request-ID: id, Time Start: ns, …, Time End: ns`). Times come from
 * `bpf_ktime_get_tai_ns` (TAI, 37 s ahead of UTC since 2017): `taiOffsetMs` is taken off.
 * A time of 0 means the probe did not fire and leaves that stage out.
 */
import { stagesFromMarks, type SidecarStream } from './sidecar-stream.js';

/** What a line gave: a stream, nothing (blank), or why it is not a record. */
export type EbpfLineResult = { stream: SidecarStream } | { skip: true } | { error: string };

/** Options of {@link parseEbpfLine}. */
export interface EbpfLineOptions {
  file: string;
  lineNumber: number;
  service: string;
  /** TAI − UTC in milliseconds. @default 37000 */
  taiOffsetMs?: number;
}

/** The tracer's key names, lower-cased with spaces collapsed, per mark. */
const MARK_KEYS = {
  start: ['time http start', 'time start'],
  parsed: ['time http parsed', 'time request filter start'],
  filtersEnd: ['time request filter end', 'time filters end'],
  writeStart: ['time write start', 'write start'],
  writeEnd: ['time write end', 'write end'],
  processStart: ['time process start'],
  readStart: ['time read start', 'read start'],
  readEnd: ['time read end', 'read end'],
  responseParse: ['response parse start', 'upstream time start', 'time response parse start'],
  responseParsed: ['upstream time http parsed', 'time response parsed'],
  responseFilters: ['time response filter start', 'time upstream recorded'],
  end: ['time end'],
} as const;

type Mark = keyof typeof MARK_KEYS;

function normalizeKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

function fields(line: string): Map<string, string> | string {
  const out = new Map<string, string>();
  if (line.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return 'not valid JSON';
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'not a JSON object';
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number') out.set(normalizeKey(key), String(value));
    }
    return out;
  }
  for (const part of line.split(', ')) {
    const colon = part.indexOf(': ');
    if (colon <= 0) return `expected "Key: value" pairs, got ${JSON.stringify(part.slice(0, 40))}`;
    out.set(normalizeKey(part.slice(0, colon)), part.slice(colon + 2).trim());
  }
  return out;
}

/** Pure: one line of a tracer output file. */
export function parseEbpfLine(line: string, options: EbpfLineOptions): EbpfLineResult {
  const text = line.trim();
  if (text === '' || text.startsWith('Tracing...')) return { skip: true };
  const values = fields(text);
  if (typeof values === 'string') return { error: values };
  const taiOffsetUs = (options.taiOffsetMs ?? 37_000) * 1000;
  const marks: Partial<Record<Mark, number>> = {};
  for (const mark of Object.keys(MARK_KEYS) as Mark[]) {
    for (const key of MARK_KEYS[mark]) {
      const raw = values.get(key);
      if (raw === undefined) continue;
      if (!/^\d+$/.test(raw)) return { error: `"${key}" must be nanoseconds, got ${JSON.stringify(raw)}` };
      if (raw !== '0') marks[mark] = Math.round(Number(raw) / 1000) - taiOffsetUs;
      break;
    }
  }
  const requestId = values.get('x request id');
  if (marks.start === undefined || marks.end === undefined) {
    return { error: 'a record needs its start ("Time HTTP Start" or "Time Start") and "Time End"' };
  }
  const afterFilters = marks.filtersEnd ?? marks.writeStart ?? marks.processStart;
  const stages = stagesFromMarks([
    ['downstream-parsing', marks.start, marks.parsed],
    // The oldest form has no parse mark: its first stage runs from the start to the filters' end.
    [
      'request-filters',
      marks.parsed ?? (marks.filtersEnd !== undefined ? marks.start : undefined),
      afterFilters,
    ],
    ['write', marks.writeStart, marks.writeEnd],
    [
      'process-time',
      marks.processStart ?? marks.writeEnd ?? marks.filtersEnd,
      marks.readStart ?? marks.responseParse ?? marks.responseFilters,
    ],
    ['read', marks.readStart, marks.readEnd],
    ['upstream-parsing', marks.responseParse, marks.responseParsed ?? marks.responseFilters],
    ['response-filters', marks.responseFilters, marks.end],
  ]);
  const connectionId = values.get('connection id');
  const streamId = values.get('stream id');
  const ids = [connectionId ?? '', streamId ?? '', requestId ?? '', String(marks.start)].join('/');
  const stream: SidecarStream = {
    source: `${options.file}:${options.lineNumber}`,
    service: options.service,
    key: `${options.file}#${ids}`,
    startUs: marks.start,
    endUs: Math.max(marks.end, marks.start),
    stages,
    origin: 'ebpf',
  };
  if (requestId !== undefined && requestId !== '') stream.requestId = requestId;
  if (connectionId !== undefined) stream.connectionId = connectionId;
  if (streamId !== undefined) stream.streamId = streamId;
  const tags: Record<string, string> = {};
  for (const [key, name] of [
    ['read time', 'ebpf.read_time_ns'],
    ['write time', 'ebpf.write_time_ns'],
    ['total time', 'ebpf.total_time_ns'],
  ] as const) {
    const value = values.get(key);
    if (value !== undefined) tags[name] = value;
  }
  if (Object.keys(tags).length > 0) stream.tags = tags;
  return { stream };
}
