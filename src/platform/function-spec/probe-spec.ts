/**
 * `readinessProbe` and `livenessProbe` of the serving container, read as Knative validates
 * and defaults them (pkg/apis/serving: validateReadinessProbe, validateProbe,
 * applyReadinessProbeDefaults) on top of Kubernetes' own defaults for liveness:
 * - exactly one of `httpGet`, `tcpSocket`, `grpc` (`exec` is refused: hivelab runs nothing
 *   inside an instance);
 * - readiness: `periodSeconds` 0 (the default) is Knative's aggressive probing, and then
 *   `timeoutSeconds` and `failureThreshold` must be unset; otherwise they default to 1 s
 *   and 3, as in Kubernetes; `successThreshold` defaults to 1;
 * - liveness: Kubernetes' defaults (every 10 s, 1 s timeout, 3 failures), `successThreshold` 1;
 * - a named port must be the serving port's name; a port left out, or equal to the
 *   `containerPort`, is the serving port.
 * Pure: problems go to `issues`, each naming the field and the expected form.
 */

export type ProbeHandler =
  | { kind: 'httpGet'; path: string; port?: number; headers: { name: string; value: string }[] }
  | { kind: 'tcpSocket'; port?: number }
  | { kind: 'grpc'; port?: number; service: string };

export interface ProbeSpec {
  handler: ProbeHandler;
  initialDelaySeconds: number;
  /** Readiness: 0 = Knative's aggressive probing (every 50 ms until ready). */
  periodSeconds: number;
  /** 0 only with aggressive probing (100 ms per attempt then). */
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold: number;
}

export type ProbeKind = 'readiness' | 'liveness';

/** The serving port as probes may name it. */
export interface ServingPort {
  containerPort: number;
  /** `ports[0].name` (`h2c`, `http1`), or `http` when unnamed as Knative names it. */
  name: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PROBE_FIELDS = new Set([
  'httpGet',
  'tcpSocket',
  'grpc',
  'exec',
  'initialDelaySeconds',
  'periodSeconds',
  'timeoutSeconds',
  'failureThreshold',
  'successThreshold',
  'terminationGracePeriodSeconds',
]);

function readInt(
  probe: Record<string, unknown>,
  key: string,
  field: string,
  min: number,
  issues: string[],
): number | undefined {
  const value = probe[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    issues.push(`${field}.${key}: expected an integer of at least ${min}, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

function readPort(
  value: unknown,
  field: string,
  serving: ServingPort,
  issues: string[],
): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value === serving.name) return undefined;
    issues.push(
      `${field}: expected the serving port's name ${JSON.stringify(serving.name)} or a port number, got ${JSON.stringify(value)} (Knative: probe port must match container port)`,
    );
    return null;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    issues.push(`${field}: expected a port number from 1 to 65535, got ${JSON.stringify(value)}`);
    return null;
  }
  return value === serving.containerPort ? undefined : value;
}

function readHandler(
  probe: Record<string, unknown>,
  field: string,
  serving: ServingPort,
  issues: string[],
): ProbeHandler | undefined {
  const present = ['httpGet', 'tcpSocket', 'grpc', 'exec'].filter((k) => probe[k] !== undefined);
  if (present.length === 0) {
    issues.push(`${field}: expected one of httpGet, tcpSocket or grpc, got none`);
    return undefined;
  }
  if (present.length > 1) {
    issues.push(`${field}: expected exactly one of httpGet, tcpSocket or grpc, got ${present.join(' and ')}`);
    return undefined;
  }
  const kind = present[0]!;
  const action = probe[kind];
  if (kind === 'exec') {
    issues.push(
      `${field}.exec: not supported (hivelab runs no command inside an instance); use httpGet, tcpSocket or grpc`,
    );
    return undefined;
  }
  if (!isRecord(action)) {
    issues.push(`${field}.${kind}: expected an object, got ${JSON.stringify(action)}`);
    return undefined;
  }
  const port = readPort(action.port, `${field}.${kind}.port`, serving, issues);
  if (port === null) return undefined;
  const withPort = port === undefined ? {} : { port };
  if (kind === 'tcpSocket') {
    if (action.host !== undefined)
      issues.push(`${field}.tcpSocket.host: not supported (a probe targets its instance); leave it out`);
    return { kind, ...withPort };
  }
  if (kind === 'grpc') {
    if (action.port === undefined)
      issues.push(`${field}.grpc.port: expected a port number (Kubernetes requires it), got nothing`);
    if (action.service !== undefined && typeof action.service !== 'string') {
      issues.push(
        `${field}.grpc.service: expected a service name (a string), got ${JSON.stringify(action.service)}`,
      );
    }
    return { kind, ...withPort, service: typeof action.service === 'string' ? action.service : '' };
  }
  const path = action.path ?? '/';
  if (typeof path !== 'string' || !path.startsWith('/')) {
    issues.push(
      `${field}.httpGet.path: expected a path starting with "/", got ${JSON.stringify(action.path)}`,
    );
  }
  if (action.host !== undefined)
    issues.push(`${field}.httpGet.host: not supported (a probe targets its instance); leave it out`);
  if (action.scheme !== undefined && action.scheme !== 'HTTP') {
    issues.push(
      `${field}.httpGet.scheme: expected "HTTP" (instances serve cleartext), got ${JSON.stringify(action.scheme)}`,
    );
  }
  const headers: { name: string; value: string }[] = [];
  const raw = action.httpHeaders ?? [];
  if (!Array.isArray(raw))
    issues.push(`${field}.httpGet.httpHeaders: expected a list of {name, value}, got ${JSON.stringify(raw)}`);
  else {
    raw.forEach((header: unknown, i) => {
      if (!isRecord(header) || typeof header.name !== 'string' || typeof header.value !== 'string') {
        issues.push(
          `${field}.httpGet.httpHeaders[${i}]: expected {name, value} strings, got ${JSON.stringify(header)}`,
        );
      } else headers.push({ name: header.name, value: header.value });
    });
  }
  return { kind: 'httpGet', path: typeof path === 'string' ? path : '/', ...withPort, headers };
}

/** Pure: the probe at `field` (e.g. `spec.template.spec.containers[0].readinessProbe`), defaulted. */
export function readProbe(
  raw: unknown,
  kind: ProbeKind,
  field: string,
  serving: ServingPort,
  issues: string[],
): ProbeSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    issues.push(`${field}: expected an object with httpGet, tcpSocket or grpc, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(raw)) {
    if (!PROBE_FIELDS.has(key))
      issues.push(`${field}.${key}: not a probe field (expected ${[...PROBE_FIELDS].join(', ')})`);
  }
  const handler = readHandler(raw, field, serving, issues);
  const initialDelaySeconds = readInt(raw, 'initialDelaySeconds', field, 0, issues) ?? 0;
  const successThreshold = readInt(raw, 'successThreshold', field, 1, issues) ?? 1;
  let periodSeconds = readInt(raw, 'periodSeconds', field, kind === 'readiness' ? 0 : 1, issues);
  let timeoutSeconds = readInt(
    raw,
    'timeoutSeconds',
    field,
    kind === 'readiness' && !periodSeconds ? 0 : 1,
    issues,
  );
  let failureThreshold = readInt(
    raw,
    'failureThreshold',
    field,
    kind === 'readiness' && !periodSeconds ? 0 : 1,
    issues,
  );
  if (kind === 'readiness' && (periodSeconds ?? 0) === 0) {
    // Knative's aggressive probing: its own timing, so these two must stay unset.
    if (timeoutSeconds)
      issues.push(
        `${field}.timeoutSeconds: disallowed when periodSeconds is zero (Knative then probes every 50 ms, 100 ms each)`,
      );
    if (failureThreshold)
      issues.push(
        `${field}.failureThreshold: disallowed when periodSeconds is zero (Knative then probes every 50 ms, 100 ms each)`,
      );
    periodSeconds = 0;
    timeoutSeconds = 0;
    failureThreshold = 0;
  } else {
    periodSeconds ??= 10;
    timeoutSeconds ??= 1;
    failureThreshold ??= 3;
  }
  if (kind === 'liveness' && successThreshold !== 1) {
    issues.push(
      `${field}.successThreshold: must be 1 for a liveness probe (Kubernetes), got ${successThreshold}`,
    );
  }
  if (!handler || issues.length > before) return undefined;
  return { handler, initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold };
}
