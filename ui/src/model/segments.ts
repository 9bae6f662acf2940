/**
 * Segments drawn inside a span's bar: cold-start phases (`coldstart.<phase>_ms` tags,
 * offsets from the launch, laid from the span's start), gateway stages (annotations `stage:<name>`,
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

/**
 * The measured phases in start order (image and network: a container's own steps); each tag
 * is the offset from launch (ms) at which it ended.
 */
const COLD_START_PHASES = [
  'image',
  'network',
  'spawn',
  'runtime_init',
  'code_load',
  'function_init',
  // With a spec readinessProbe: the sandbox was ready; what follows is the probe's wait.
  'sandbox_ready',
] as const;

function tagMs(tags: Readonly<Record<string, string>>, key: string): number | undefined {
  const raw = tags[key];
  if (raw === undefined) return undefined;
  const ms = Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * The platform writes cumulative offsets from the launch (`coldstart.<phase>_ms`, see
 * platform/sandbox/cold-start/phases.ts): each phase lasts from the previous offset to its own, and
 * what remains until `coldstart.ready_ms` is the readiness wait (the spec's readinessProbe
 * when `coldstart.sandbox_ready_ms` is there).
 */
function coldStartSegments(startUs: number, tags: Readonly<Record<string, string>>): Segment[] {
  const out: Segment[] = [];
  let previousMs = 0;
  for (const phase of COLD_START_PHASES) {
    const ms = tagMs(tags, `coldstart.${phase}_ms`);
    if (ms === undefined || ms < previousMs) continue;
    out.push({
      label: `cold start: ${phase.replace('_', ' ')}`,
      startUs: startUs + previousMs * 1000,
      durationUs: (ms - previousMs) * 1000,
      kind: 'coldstart',
    });
    previousMs = ms;
  }
  const readyMs = tagMs(tags, 'coldstart.ready_ms');
  if (readyMs !== undefined && readyMs > previousMs) {
    const probed = tagMs(tags, 'coldstart.sandbox_ready_ms') !== undefined;
    out.push({
      label: probed ? 'cold start: readiness probe' : 'cold start: ready',
      startUs: startUs + previousMs * 1000,
      durationUs: (readyMs - previousMs) * 1000,
      kind: 'coldstart',
    });
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
