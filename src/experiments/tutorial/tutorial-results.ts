/** What a tutorial run measured, step by step: what `run-tutorial` collects and the report reads. */
import type { RequestRecord, RunSummary } from '../../invoker/index.js';
import type { Span } from '../../spans/index.js';
import type { TutorialStep } from './tutorial-plan.js';

/** One invoker run's outcome. */
export interface RunData {
  label: string;
  coldStart: 'boot' | 'snapshot';
  records: RequestRecord[];
  summary: RunSummary;
}

/** One invocation of the video chain and its trace. */
export interface VideoTrace {
  frames: number;
  traceId: string;
  latencyMs: number;
  ok: boolean;
  spans: Span[];
}

export interface StepResult {
  step: TutorialStep;
  runs: RunData[];
  videoTraces: VideoTrace[];
  notes: string[];
  durationMs: number;
}
