/**
 * deploy/knative: vHive's `functions.json` and Service YAMLs to a real Knative cluster
 * through the Kubernetes API, endpoints.json from the Services' URLs, and the list and
 * delete that go with it.
 */
export { KnativeClient, type KnativeClientOptions, type WaitReadyOptions } from './knative-client.js';
export {
  knativeManifest,
  MANAGED_BY_LABEL,
  type KnativeService,
  type ManifestOptions,
} from './knative-manifest.js';
export { clusterImage, VSWARM_IMAGES, type ClusterImage } from './knative-images.js';
export {
  serviceReadiness,
  urlHostname,
  type KnativeServiceObject,
  type KnativeCondition,
  type ServiceReadiness,
} from './knative-status.js';
export {
  deployToKnative,
  manifestsYaml,
  type KnativeDeployOptions,
  type KnativeDeployResult,
} from './deploy-knative.js';
export { formatServicesTable, formatAge } from './format-services.js';
