/**
 * Pure: where a Knative Service stands, from its status: Ready (with its URL), failed
 * (Ready=False: the reason and message Knative gives), or still on its way (the reason so
 * far). A status for an older generation than the object's is "on its way".
 */
import type { KnativeService } from './knative-manifest.js';

/** A status condition as Knative writes it. */
export interface KnativeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** A Service as the API returns it: the manifest plus what the cluster adds. */
export interface KnativeServiceObject extends KnativeService {
  metadata: KnativeService['metadata'] & {
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string;
  };
  status?: {
    observedGeneration?: number;
    url?: string;
    latestCreatedRevisionName?: string;
    latestReadyRevisionName?: string;
    conditions?: KnativeCondition[];
  };
}

/** The outcome so far. */
export type ServiceReadiness =
  | { state: 'ready'; url: string }
  | { state: 'failed'; reason: string }
  | { state: 'pending'; reason: string };

function describe(condition: KnativeCondition | undefined): string {
  if (condition === undefined) return 'no Ready condition yet';
  const text = [condition.reason, condition.message]
    .filter((part) => part !== undefined && part !== '')
    .join(': ');
  return text === '' ? `Ready=${condition.status}` : text;
}

/** Pure: the readiness of `service`. */
export function serviceReadiness(service: KnativeServiceObject): ServiceReadiness {
  const status = service.status;
  const generation = service.metadata.generation;
  if (status === undefined) return { state: 'pending', reason: 'no status yet' };
  if (generation !== undefined && (status.observedGeneration ?? 0) < generation) {
    return { state: 'pending', reason: `generation ${generation} not observed yet` };
  }
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  if (ready?.status === 'True') {
    if (status.url === undefined) return { state: 'pending', reason: 'Ready but no URL yet' };
    return { state: 'ready', url: status.url };
  }
  if (ready?.status === 'False') {
    // The condition that failed first says more than Ready's summary when Ready has none.
    const failed = status.conditions?.find(
      (condition) => condition.type !== 'Ready' && condition.status === 'False',
    );
    const reason = describe(ready);
    return {
      state: 'failed',
      reason:
        failed && ready.message === undefined ? `${reason} (${failed.type}: ${describe(failed)})` : reason,
    };
  }
  return { state: 'pending', reason: describe(ready) };
}

/** Pure: the hostname of a Service URL, as vHive's endpoints.json lists it. */
export function urlHostname(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url.replace(/^[a-z]+:\/\//i, '').replace(/[/:].*$/, '');
  }
}
