/** Pure: the workload a sidecar log or tracer file belongs to, from its file name. */
import path from 'node:path';

/**
 * `trace_output_<svc>-….log` → `<svc>` (meshtrek's tracer); otherwise the base name without
 * its extensions and without a Deployment pod's `-<replicaset hash>-<pod hash>` suffix,
 * e.g. `frontend-7d9f8c6b5-x2x7k.log` → `frontend`, and an `-istio-proxy` suffix dropped.
 */
export function serviceFromFileName(file: string): string {
  const base = path.basename(file);
  const tracer = /^trace_output_([^-.]+)/.exec(base);
  if (tracer) return tracer[1]!.toLowerCase();
  let name = base.replace(/\.(log|txt|out|json|jsonl)$/i, '');
  name = name.replace(/[-_.]istio-proxy$/i, '');
  name = name.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '');
  return name.toLowerCase() || 'envoy';
}
