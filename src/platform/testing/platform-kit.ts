/**
 * Shared by the platform's tests (never imported by the library; excluded from the package
 * as `*.test.*`): the misbehaving test function, specs for it, and a raw HTTP client that can
 * set `Host`, which `fetch` cannot.
 */
import http from 'node:http';
import path from 'node:path';
import { packageRoot } from '../../package-root.js';
import type { AutoscalingSettings, FunctionSpec } from '../function-spec/function-spec.js';
import { defaultAutoscaling, type ProbeSpec } from '../function-spec/index.js';

/** `instances/fixtures/test-function.mjs`: /slow, /crash, /alloc, /headers, /echo, gRPC mode. */
export const TEST_FUNCTION = path.join(
  packageRoot,
  'src',
  'platform',
  'instances',
  'fixtures',
  'test-function.mjs',
);

export interface TestSpecOptions {
  namespace?: string;
  env?: Record<string, string>;
  containerConcurrency?: number;
  timeoutMs?: number;
  memoryLimitBytes?: number;
  protocol?: FunctionSpec['protocol'];
  autoscaling?: Partial<AutoscalingSettings>;
}

/** A spec running the test function as a plain process (any executable would do). */
export function testSpec(name: string, options: TestSpecOptions = {}): FunctionSpec {
  const containerConcurrency = options.containerConcurrency ?? 0;
  return {
    name,
    namespace: options.namespace ?? 'default',
    image: 'test-function',
    command: [process.execPath, TEST_FUNCTION],
    env: {
      HIVELAB_PACKAGE_ROOT: packageRoot,
      ...(options.protocol === 'h2c' ? { FUNCTION_MODE: 'grpc' } : {}),
      ...options.env,
    },
    workingDir: packageRoot,
    protocol: options.protocol ?? 'http1',
    containerConcurrency,
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.memoryLimitBytes ? { memoryLimitBytes: options.memoryLimitBytes } : {}),
    sandbox: 'process',
    coldStart: 'boot',
    autoscaling: { ...defaultAutoscaling(containerConcurrency), ...options.autoscaling },
  };
}

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection, with an optional `Host`. */
export function request(
  baseUrl: string,
  pathAndQuery: string,
  options: { host?: string; method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<TestResponse> {
  const url = new URL(pathAndQuery, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent: false,
        headers: { ...(options.host ? { host: options.host } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Polls `check` every 50 ms until it returns true or `timeoutMs` passes (then throws `what`). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A spec probe that answers fast: no initial delay, every second, one try decides. */
export function testProbe(handler: ProbeSpec['handler'], timing: Partial<ProbeSpec> = {}): ProbeSpec {
  return {
    handler,
    initialDelaySeconds: 0,
    periodSeconds: 1,
    timeoutSeconds: 1,
    failureThreshold: 1,
    successThreshold: 1,
    ...timing,
  };
}
