/** What a `/search?…` URL asks for: the form's fields, the sort and the search itself. Pure. */
import type { TraceSearch } from '../../api/collector-api.js';
import { parseDurationUs, parseLookbackMs } from '../../model/format.js';
import type { SortOrder } from '../../model/trace-summary.js';

export const FIELDS = [
  'service',
  'operation',
  'tags',
  'minDuration',
  'maxDuration',
  'lookback',
  'limit',
] as const;
export type Field = (typeof FIELDS)[number];

/** Zipkin's annotationQuery from the tags field: `k=v k2=v2` or `k=v and k2=v2`. */
export function tagsToAnnotationQuery(tags: string): string | undefined {
  const terms = tags
    .split(/\s+and\s+|\s+/i)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return terms.length > 0 ? terms.join(' and ') : undefined;
}

export interface SearchRequest {
  initial: Record<Field, string>;
  sort: SortOrder;
  /** True once the form was submitted (any field in the URL, or `run`). */
  ran: boolean;
  /** Fields that do not parse, said for the user. */
  problems: string[];
  search: TraceSearch;
  /** Changes whenever the search must run again; '' when it must not run. */
  key: string;
}

export function searchRequest(q: URLSearchParams): SearchRequest {
  const initial = Object.fromEntries(FIELDS.map((f) => [f, q.get(f) ?? ''])) as Record<Field, string>;
  if (!initial.lookback) initial.lookback = '1h';
  if (!initial.limit) initial.limit = '20';
  const sort = (q.get('sort') ?? 'newest') as SortOrder;
  const ran = FIELDS.some((f) => q.has(f)) || q.has('run');
  const problems: string[] = [];
  const minDurationUs = initial.minDuration ? parseDurationUs(initial.minDuration) : undefined;
  const maxDurationUs = initial.maxDuration ? parseDurationUs(initial.maxDuration) : undefined;
  if (initial.minDuration && minDurationUs === undefined)
    problems.push(`min duration "${initial.minDuration}" is not a duration such as 100ms`);
  if (initial.maxDuration && maxDurationUs === undefined)
    problems.push(`max duration "${initial.maxDuration}" is not a duration such as 1.2s`);
  const lookbackMs = parseLookbackMs(initial.lookback) ?? 3_600_000;
  const search: TraceSearch = {
    serviceName: initial.service || undefined,
    spanName: initial.operation || undefined,
    annotationQuery: tagsToAnnotationQuery(initial.tags),
    minDurationUs: maxDurationUs !== undefined && minDurationUs === undefined ? 1 : minDurationUs,
    maxDurationUs,
    lookbackMs,
    limit: Math.max(1, Math.min(10_000, Number(initial.limit) || 20)),
  };
  const key = ran && problems.length === 0 ? JSON.stringify(search) + (q.get('run') ?? '') : '';
  return { initial, sort, ran, problems, search, key };
}
