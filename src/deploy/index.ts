/**
 * The vHive-compatible deployer: `functions.json` → deployed functions → `endpoints.json`.
 * Pure planning and formatting apart from the I/O shell (`deployFunctions`).
 */
export { parseFunctionsJson, type FunctionType } from './functions-json.js';
export { planDeployment, type PlannedFunction, type PlanOptions } from './deploy-plan.js';
export { formatEndpointsJson, type Endpoint } from './endpoints-json.js';
export {
  deployFunctions,
  type DeployOptions,
  type DeployResult,
  type DeployTarget,
} from './deploy-functions.js';
export {
  applyManifests,
  loadManifests,
  manifestFiles,
  servicesOfManifest,
  substituteEnv,
  type ApplyTarget,
  type LoadManifestOptions,
  type ManifestService,
} from './apply-manifests.js';
/** deploy/knative, loaded on use: @kubernetes/client-node then costs the local target nothing. */
export const loadKnative = () => import('./knative/index.js');
export type { KnativeClient } from './knative/index.js';
