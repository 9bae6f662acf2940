/** Test support of deploy/: a Kubernetes API server on loopback and the Knative Service CRD check. */
export { serviceCrdValidator } from '../knative/testing/crd-validator.js';
export {
  startKubeApiServer,
  becomesReady,
  kubeconfigYaml,
  type KubeApiServer,
  type KubeApiServerOptions,
  type SeenRequest,
  type StatusStep,
} from '../knative/testing/kube-api-server.js';
