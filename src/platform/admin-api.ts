/**
 * The platform's admin API, served by the gateway under `/_hivelab/` (reserved: no function
 * route ever starts with it). The deployer, the invoker's trace replay and the CLI use it
 * through `PlatformClient` (platform/admin-client.ts).
 *
 *   GET    /_hivelab/functions                    → FunctionStatus[]
 *   GET    /_hivelab/functions/{namespace}/{name} → FunctionStatus (404 when unknown)
 *   GET    /_hivelab/functions/{namespace}/{name}/history → FunctionHistory (function-history.ts):
 *                                                  ready/desired instances over time, last cold starts
 *   GET    /_hivelab/functions/{namespace}/{name}/logs?instance=&container=&since=&tail=&follow=1&timestamps=1
 *                                                → text/plain, the instances' stdout/stderr (admin/logs-route.ts);
 *                                                  kept after the instance and the function are gone
 *   PUT    /_hivelab/functions/{namespace}/{name} → FunctionStatus, body: FunctionSpec (JSON);
 *                                                  answers once the function is ready
 *                                                  (initial scale reached), 4xx with the reason otherwise
 *   DELETE /_hivelab/functions/{namespace}/{name} → 204 (404 when unknown)
 *   DELETE /_hivelab/functions                    → 204, deletes all
 *
 * and the faults switched at run time (admin/fault-routes.ts): `GET /_hivelab/faults`
 * (FaultsStatus), `PUT|DELETE /_hivelab/faults/{namespace}/{name}`, `DELETE /_hivelab/faults`.
 */
import type { ActiveFault, FaultChange, FaultInjection } from './faults/index.js';
import type { FunctionSpec } from './function-spec/function-spec.js';

/** `GET /_hivelab/faults`: specs in force, their changes and the injections (oldest first). */
export interface FaultsStatus {
  active: ActiveFault[];
  changes: FaultChange[];
  injections: FaultInjection[];
}

export interface FunctionStatus {
  name: string;
  namespace: string;
  /** e.g. `http://helloworld-0.default.localhost:8080` */
  url: string;
  image: string;
  sandbox: FunctionSpec['sandbox'];
  coldStart: FunctionSpec['coldStart'];
  protocol: FunctionSpec['protocol'];
  readyInstances: number;
  desiredInstances: number;
  /** Instance starts that got ready (cold starts), the ones at deployment included. */
  coldStarts: number;
  /**
   * Requests that waited for an instance start: what the invoker's summary counts as
   * `cold` (`x-hivelab-cold: 1`). Several requests can wait for one start.
   */
  coldRequests: number;
  /** Requests served since deployment. */
  requests: number;
}
