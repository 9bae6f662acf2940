/** Test support: a sink that keeps spans in memory, and helpers to read them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Span } from '../../../spans/index.js';
import type { SpanSink } from '../import-sidecar-files.js';

/** A sink that collects every span written. */
export function memorySink(): SpanSink & { spans: Span[]; closed: boolean } {
  const sink = {
    spans: [] as Span[],
    closed: false,
    write(spans: Span[]) {
      sink.spans.push(...spans);
      return Promise.resolve();
    },
    close() {
      sink.closed = true;
      return Promise.resolve();
    },
  };
  return sink;
}

/** Writes `files` (name → lines) into a fresh temporary folder; returns their paths. */
export function writeTempFiles(files: Record<string, readonly string[]>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'hivelab-envoy-'));
  return Object.entries(files).map(([name, lines]) => {
    const file = path.join(dir, name);
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  });
}

/** The stage spans under `parent`, as [stage, start, end] in time order (a 1 µs span is read as the zero-length stage it stands for: durations are at least 1). */
export function stagesOf(spans: readonly Span[], parent: Span): Array<[string, number, number]> {
  return spans
    .filter((span) => span.parentId === parent.id && span.tags?.['sidecar.stage'] !== undefined)
    .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))
    .map((span) => [
      span.tags!['sidecar.stage']!,
      span.timestamp!,
      span.timestamp! + (span.duration === 1 && span.timestamp !== undefined ? 0 : span.duration!),
    ]);
}

/** The stream (SERVER) spans, in time order. */
export function streamSpansOf(spans: readonly Span[]): Span[] {
  return spans
    .filter((span) => span.kind === 'SERVER')
    .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}
