/**
 * Segments drawn inside a span's bar: cold-start phases (`coldstart.<phase>_ms` tags, laid
 * one after another from the span's start), gateway stages (annotations `stage:<name>`,
 * each lasting until the next stage or the span's end) and sidecar stage spans (children
 * tagged `sidecar.stage=<name>`). Pure.
 */
import type { TraceModel } from './trace-model.js';

export interface Segment {
  label: string;
  startUs: number;
  durationUs: number;
  kind: 'coldstart' | 'stage' | 'sidecar';
}

/** The measured phases in start order; `ready_ms` is their total, not a phase. */
const COLD_START_PHASES = ['spawn', 'runtime_init', 'code_load', 'function_init'] as const;

function coldStartSegments(startUs: number, tags: Readonly<Record<string, string>>): Segment[] {
  const out: Segment[] = [];
  let at = startUs;
  for (const phase of COLD_START_PHASES) {
    const ms = Number(tags[`coldstart.${phase}_ms`]);
    if (!Number.isFinite(ms) || ms < 0 || tags[`coldstart.${phase}_ms`] === undefined) continue;
    const durationUs = ms * 1000;
    out.push({ label: `cold start: ${phase.replace('_', ' ')}`, startUs: at, durationUs, kind: 'coldstart' });
    at += durationUs;
  }
  if (out.length === 0 && tags['coldstart.ready_ms'] !== undefined) {
    const ms = Number(tags['coldstart.ready_ms']);
    if (Number.isFinite(ms) && ms >= 0) {
      out.push({ label: 'cold start: ready', startUs, durationUs: ms * 1000, kind: 'coldstart' });
    }
  }
  return out;
}

/** The segments of the node at `index`. */
export function spanSegments(model: TraceModel, index: number): Segment[] {
  const node = model.nodes[index]!;
  const span = node.span;
  const end = node.startUs + node.durationUs;
  const out = span.tags ? coldStartSegments(node.startUs, span.tags) : [];
  const stages = (span.annotations ?? []).filter((a) => a.value.startsWith('stage:'));
  stages.forEach((a, i) => {
    const next = stages[i + 1]?.timestamp ?? end;
    out.push({
      label: a.value.slice(6),
      startUs: a.timestamp,
      durationUs: Math.max(0, next - a.timestamp),
      kind: 'stage',
    });
  });
  for (const c of node.children) {
    const child = model.nodes[c]!;
    const stage = child.span.tags?.['sidecar.stage'];
    if (stage !== undefined) {
      out.push({ label: stage, startUs: child.startUs, durationUs: child.durationUs, kind: 'sidecar' });
    }
  }
  return out;
}
