/**
 * Trace files as a source (`--file F`, repeatable), each one of:
 * - Zipkin v2: a list of traces (`[[span, …], …]`, as `/api/v2/traces` answers) or a flat
 *   list of spans;
 * - Jaeger: `{"data": [trace, …]}` as `/api/traces` answers;
 * - OTLP JSON: `{"resourceSpans": […]}` (or Jaeger v3's `{"result": {"resourceSpans": …}}`).
 * A file that is none of these fails naming the file and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../../errors.js';
import { decodeOtlpJson, zipkinSpansFromJson, type Span } from '../../spans/index.js';
import type { TraceSummarizer, TraceSummary } from '../../store/index.js';
import { mergeSpans, traceTimestampUs } from '../../store/index.js';
import { spansFromJaegerTrace } from './jaeger-decode.js';
import type { SourceQuery, TraceSource } from './trace-source.js';

/** Any time is accepted from a file (the decoders' "not in the future" rule is for ingest). */
const FAR_FUTURE_US = 4_102_444_800_000_000;

const EXPECTED =
  'expected Zipkin v2 JSON (a list of traces or of spans), Jaeger\'s {"data":[…]} or OTLP JSON {"resourceSpans":[…]}';

/** The spans of a parsed file's content. */
export function spansOfDocument(parsed: unknown, name: string): Span[] {
  const options = { nowUs: FAR_FUTURE_US };
  if (Array.isArray(parsed)) {
    const flat = parsed.every((item) => Array.isArray(item)) ? (parsed as unknown[][]).flat() : parsed;
    const result = zipkinSpansFromJson(flat, options);
    if (result.spans.length === 0 && flat.length > 0) {
      throw new UserError(
        `error while reading ${name}: no valid Zipkin span (${result.errors[0] ?? EXPECTED})`,
      );
    }
    return result.spans;
  }
  if (parsed !== null && typeof parsed === 'object') {
    const object = parsed as Record<string, unknown>;
    if (Array.isArray(object.data)) return object.data.flatMap((trace) => spansFromJaegerTrace(trace).spans);
    const otlp = 'resourceSpans' in object ? object : (object.result as Record<string, unknown> | undefined);
    if (otlp !== undefined && otlp !== null && 'resourceSpans' in otlp) {
      return decodeOtlpJson(JSON.stringify(otlp), options).spans;
    }
  }
  throw new UserError(`error while reading ${name}: unknown format`, EXPECTED);
}

export class FileSource implements TraceSource {
  readonly description: string;
  readonly #traces: Map<string, Span[]>;

  private constructor(files: readonly string[], traces: Map<string, Span[]>) {
    this.description = files.length === 1 ? `the file ${files[0]}` : `${files.length} files`;
    this.#traces = traces;
  }

  /** Reads and decodes every file; spans of one trace across files are merged. */
  static async open(files: readonly string[]): Promise<FileSource> {
    const byTrace = new Map<string, Span[]>();
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UserError(`error while reading ${file}: ${errorMessage(error)}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new UserError(`error while reading ${file}: not JSON (${errorMessage(error)})`, EXPECTED);
      }
      for (const span of spansOfDocument(parsed, file)) {
        const list = byTrace.get(span.traceId) ?? [];
        list.push(span);
        byTrace.set(span.traceId, list);
      }
    }
    for (const [id, spans] of byTrace) {
      byTrace.set(
        id,
        mergeSpans(spans).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0)),
      );
    }
    return new FileSource(files, byTrace);
  }

  async *summaries(query: SourceQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]> {
    const all: TraceSummary[] = [];
    for (const [traceId, spans] of this.#traces) {
      const timestampUs = traceTimestampUs(spans);
      const window = query.window;
      if (window !== undefined && (timestampUs < window.startUs || timestampUs >= window.endUs)) continue;
      all.push({ traceId, timestampUs, ...summarizer.summarize(spans) });
    }
    all.sort((a, b) => b.timestampUs - a.timestampUs);
    yield query.limit === undefined ? all : all.slice(0, query.limit);
    await Promise.resolve();
  }

  getTrace(traceId: string): Promise<Span[]> {
    return Promise.resolve(this.#traces.get(traceId.toLowerCase()) ?? []);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
