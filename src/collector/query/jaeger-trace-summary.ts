/**
 * The trace summaries of Jaeger's v3 `/api/v3/trace-summaries` (what the Jaeger UI's search
 * page lists since 2.19): root service and operation, time span in decimal nanoseconds,
 * span, error and orphan counts, spans per service. Pure.
 */
import type { Span } from '../../spans/index.js';
import { otlpTraceId } from './otlp-json-answer.js';

export interface JaegerTraceSummary {
  traceId: string;
  rootServiceName: string;
  rootOperationName: string;
  minStartTimeUnixNano: string;
  maxEndTimeUnixNano: string;
  spanCount: number;
  errorSpanCount: number;
  orphanSpanCount: number;
  services: { name: string; spanCount: number; errorSpanCount: number }[];
}

/** Summarises one trace (its spans, in any order). */
export function summarizeJaegerTrace(spans: readonly Span[]): JaegerTraceSummary {
  const ids = new Set(spans.map((s) => s.id));
  let root: Span | undefined;
  let startUs = Infinity;
  let endUs = -Infinity;
  let errors = 0;
  let orphans = 0;
  const services = new Map<string, { name: string; spanCount: number; errorSpanCount: number }>();
  for (const span of spans) {
    const name = span.localEndpoint?.serviceName ?? 'unknown';
    const entry = services.get(name) ?? { name, spanCount: 0, errorSpanCount: 0 };
    services.set(name, entry);
    entry.spanCount++;
    const error = span.tags?.error !== undefined;
    if (error) {
      errors++;
      entry.errorSpanCount++;
    }
    if (span.timestamp !== undefined) {
      startUs = Math.min(startUs, span.timestamp);
      endUs = Math.max(endUs, span.timestamp + (span.duration ?? 0));
    }
    const hasParent = span.parentId !== undefined;
    if (hasParent && !ids.has(span.parentId!)) orphans++;
    if (!hasParent && (root === undefined || (span.timestamp ?? 0) < (root.timestamp ?? 0))) root = span;
  }
  if (startUs === Infinity) startUs = endUs = 0;
  return {
    traceId: otlpTraceId(spans[0]?.traceId ?? ''),
    rootServiceName: root?.localEndpoint?.serviceName ?? '',
    rootOperationName: root?.name ?? '',
    minStartTimeUnixNano: `${Math.round(startUs)}000`,
    maxEndTimeUnixNano: `${Math.round(endUs)}000`,
    spanCount: spans.length,
    errorSpanCount: errors,
    orphanSpanCount: orphans,
    services: [...services.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
