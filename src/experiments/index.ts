/**
 * The seeds' experiments as library calls: `runTutorial` (seed 000), `runAnomalyExperiment`
 * (seed 004), `runSidecarExperiment` (seed 003) and the report building blocks they share
 * (`report/`).
 */
export {
  runTutorial,
  type TutorialOptions,
  type TutorialProgress,
  type TutorialResult,
} from './tutorial/run-tutorial.js';
export type { StepResult, RunData, VideoTrace } from './tutorial/tutorial-results.js';
export { tutorialPlan, STEP_NUMBERS, type StepNumber, type TutorialStep } from './tutorial/tutorial-plan.js';
export { measureBareLimits, type BareLimits } from './tutorial/bare-limits.js';
export { runAnomalyExperiment, type AnomalyOptions, type AnomalyResult } from './anomaly/run-anomaly.js';
export type { PeriodRun } from './anomaly/anomaly-report.js';
export { anomalyPlan, HOTEL_SERVICES, type AnomalyPlan } from './anomaly/anomaly-plan.js';
export type { AnomalyVerdict, ServiceRank } from './anomaly/anomaly-verdict.js';
export { startHotelLab, type HotelLab } from './hotel/hotel-lab.js';
export type { ExperimentProgress } from './hotel/experiment-progress.js';
export { runSidecarExperiment, type SidecarOptions, type SidecarResult } from './sidecar/run-sidecar.js';
export type { StageRow, Stage } from './sidecar/stage-breakdown.js';
export { latencyCdfSpec, renderSvg, svgToPng, type LatencySeries } from './report/index.js';
