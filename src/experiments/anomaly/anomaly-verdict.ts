/**
 * Holds what the analyzer found against what was injected (seed 004's question: did the
 * analysis name the service the fault went into?). Pure.
 *
 * - Window mode: the services ranked by their highest overall score (suspects of every
 *   request type together); the verdict is the injected service's rank.
 * - Anomalies: the traces flagged on duration against the traces the fault log says were
 *   injected (by trace id): how many injected ones were flagged (recall), how many flagged
 *   ones were injected (precision), and how often the culprit span was in the service.
 */
import type { AnomaliesReport, WindowReport } from '../../analysis/index.js';
import type { FaultInjection } from '../../platform/index.js';

export interface ServiceRank {
  service: string;
  score: number;
  /** Its strongest entry's operation (`null`: the service as a whole). */
  operation: string | null;
  /** The evidence with the largest z, e.g. `selfTimeUs`. */
  metric: string;
}

export interface AnomalyVerdict {
  service: string;
  /** 1 = the analyzer's top suspect; `undefined` when it is not among the suspects. */
  rank: number | undefined;
  ranking: ServiceRank[];
  injected: number;
  flagged: number;
  flaggedInjected: number;
  /** Of the flagged injected traces, those whose culprit span is in the service. */
  culpritInService: number;
  recall: number;
  precision: number;
}

/** Pure: services by their highest overall score, highest first. */
export function rankServices(report: WindowReport): ServiceRank[] {
  const best = new Map<string, ServiceRank>();
  for (const s of report.suspects) {
    if (s.type !== null) continue;
    const known = best.get(s.service);
    if (known !== undefined && known.score >= s.score) continue;
    const strongest = Object.entries(s.evidence)
      .filter(([key]) => key !== 'traces')
      .map(([key, change]) => [key, (change as { z: number }).z] as const)
      .sort((a, b) => b[1] - a[1])[0];
    best.set(s.service, {
      service: s.service,
      score: s.score,
      operation: s.operation,
      metric: strongest?.[0] ?? '-',
    });
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.service.localeCompare(b.service));
}

export function anomalyVerdict(
  service: string,
  window: WindowReport,
  anomalies: AnomaliesReport,
  injections: readonly FaultInjection[],
): AnomalyVerdict {
  const ranking = rankServices(window);
  const index = ranking.findIndex((r) => r.service === service);
  const injectedIds = new Set(
    injections.map((i) => i.traceId).filter((id): id is string => id !== undefined),
  );
  const flagged = anomalies.anomalies.filter((a) => a.metric === 'duration');
  const hits = flagged.filter((a) => injectedIds.has(a.traceId));
  return {
    service,
    rank: index < 0 ? undefined : index + 1,
    ranking,
    injected: injectedIds.size,
    flagged: flagged.length,
    flaggedInjected: hits.length,
    culpritInService: hits.filter((a) => a.culprit?.service === service).length,
    recall: injectedIds.size === 0 ? Number.NaN : hits.length / injectedIds.size,
    precision: flagged.length === 0 ? Number.NaN : hits.length / flagged.length,
  };
}
