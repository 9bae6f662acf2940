/**
 * The seeds' experiments as library calls: `runTutorial` (seed 000) and the report
 * building blocks they share (`report/`).
 */
export {
  runTutorial,
  type TutorialOptions,
  type TutorialProgress,
  type TutorialResult,
  type StepResult,
  type RunData,
  type VideoTrace,
} from './tutorial/run-tutorial.js';
export { tutorialPlan, STEP_NUMBERS, type StepNumber, type TutorialStep } from './tutorial/tutorial-plan.js';
export { measureBareLimits, type BareLimits } from './tutorial/bare-limits.js';
