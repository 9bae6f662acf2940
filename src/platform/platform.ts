/**
 * `startPlatform`: the function platform in one process. A gateway on one port (HTTP/1.1
 * and h2c) in front of every deployed function's activator, instances and autoscaler loop,
 * the admin API under `/_hivelab/`, and spans to a Zipkin collector when one is given.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { ZipkinReporter } from '../spans/index.js';
import { createAdminHandler } from './admin/index.js';
import { PlatformClient } from './admin-client.js';
import type { FunctionStatus } from './admin-api.js';
import {
  createFaultTable,
  formatFaultOrder,
  NO_FAULT,
  openFaultLog,
  parseFaultSpec,
  type FaultSpec,
  type FaultTable,
} from './faults/index.js';
import { FunctionRegistry } from './function-registry.js';
import {
  createGatewayHandler,
  createUpstreamPool,
  H2SessionPool,
  listenDualProtocol,
} from './gateway/index.js';
import type { SpanSink } from './gateway/index.js';
import { DEFAULT_LOG_LIMITS, InstanceLogStore } from './logs/index.js';
import type { LogLimits } from './logs/index.js';
import { createSandboxDriver } from './sandbox/index.js';
import type { InstanceOutput, SandboxDriver } from './sandbox/sandbox.js';
import type { FunctionSpec, SandboxKind } from './function-spec/function-spec.js';

export interface PlatformOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 = ephemeral. @default 8080 */
  port?: number;
  /** Function URLs are `http://<name>.<namespace>.<domain>:<port>`. @default 'localhost' */
  domain?: string;
  /** Zipkin v2 spans endpoint (`…/api/v2/spans`); spans are sent there when set. */
  zipkinUrl?: string;
  /** Where sandboxes keep snapshots and other state. @default a fresh temp dir, removed on close */
  stateDir?: string;
  /** Requests buffered per function at most; beyond, 503 with `Retry-After`. @default 1000 */
  maxBufferedRequests?: number;
  /**
   * Operator-facing problems (e.g. a scaling policy that throws). The sandbox drivers' lines
   * (isolation found, the network instances get and why it is the host's) come here too, only
   * when `log` is given: a library user who did not ask gets no start-up chatter on stderr.
   * @default a line on stderr
   */
  log?: (line: string) => void;
  /** Where each instance's stdout and stderr are kept. @default `<stateDir>/logs` */
  logsDir?: string;
  /** Bounds of the instance logs. @default DEFAULT_LOG_LIMITS (1 MiB x 2 files per container, 20 instances per function) */
  logLimits?: Partial<LogLimits>;
  /** Sandbox drivers by kind. @default `createSandboxDriver(kind, { stateDir, log, onOutput })` */
  createDriver?: (kind: SandboxKind, context: DriverContext) => SandboxDriver;
  /** Every fault set, clear and injection is appended here as a JSON line (`hivelab up`: `<data>/faults.jsonl`). */
  faultLogFile?: string;
  /** Uniform [0, 1) deciding which invocations get a fault. @default Math.random */
  faultRandom?: () => number;
  /**
   * vHive's `-snapshots`: every JavaScript function on the process sandbox whose manifest
   * does not choose its own cold-start mode (`coldStartAnnotated`) gets snapshot cold
   * starts. @default false
   */
  snapshotsByDefault?: boolean;
}

/** What the platform gives each sandbox driver it makes. */
export interface DriverContext {
  stateDir: string;
  /** Where instance output goes (the instance logs). */
  onOutput: (spec: FunctionSpec, instanceId: string) => InstanceOutput;
  /** Operator-facing lines (the network instances get, and why when it is the host's). */
  log: (line: string) => void;
}

export interface RunningPlatform {
  /** The gateway, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** An admin client for this platform. */
  client: PlatformClient;
  /** The faults switched at run time (also through the admin API), with their injection log. */
  faults: FaultTable;
  /** Deploys or replaces a function; resolves once its initial instances are ready. */
  deploy(spec: FunctionSpec): Promise<FunctionStatus>;
  /** Resolves to false when the function was not deployed. */
  remove(namespace: string, name: string): Promise<boolean>;
  list(): FunctionStatus[];
  /** Stops accepting, drains and stops every instance, frees the drivers. */
  close(): Promise<void>;
}

/**
 * Starts the function platform: the gateway and admin API on one port, the activator,
 * the instances and the autoscaler loop. Deploy with `platform.client.deploy(spec)`.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const host = options.host ?? '127.0.0.1';
  const domain = options.domain ?? 'localhost';
  const ownStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), 'hivelab-platform-')));
  const createDriver = options.createDriver ?? ((kind, context) => createSandboxDriver(kind, context));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const driverLog = options.log ?? (() => undefined);
  const logs = new InstanceLogStore(
    options.logsDir ?? path.join(stateDir, 'logs'),
    { ...DEFAULT_LOG_LIMITS, ...options.logLimits },
    log,
  );
  const reporter: (SpanSink & { close?: () => Promise<void> }) | undefined = options.zipkinUrl
    ? new ZipkinReporter({ url: options.zipkinUrl })
    : undefined;
  let port = 0;
  // The gateway's connections to the instances.
  const agent = createUpstreamPool();
  const h2 = new H2SessionPool();
  const registry = new FunctionRegistry({
    createDriver: (kind) =>
      createDriver(kind, {
        stateDir,
        log: driverLog,
        onOutput: (spec, instanceId) => logs.open(spec, instanceId),
      }),
    // Instances find the gateway (the SDK's `call()`) and the collector (`traced()`) here.
    platformEnv: () => ({
      HIVELAB_GATEWAY_URL: reachableUrl(host, port),
      ...(options.zipkinUrl ? { HIVELAB_ZIPKIN_URL: options.zipkinUrl } : {}),
    }),
    maxBuffered: options.maxBufferedRequests ?? 1000,
    functionUrl: (spec) => `http://${spec.name}.${spec.namespace}.${domain}:${port}`,
    log,
    // A prewarmed instance listens from its launch: its first request then finds the
    // connection (for h2c the session) open, made while it was being specialised.
    preconnect: (instancePort, protocol) => {
      if (protocol === 'h2c') h2.get(instancePort);
      else agent.preconnect(instancePort);
    },
  });
  const faultLog = options.faultLogFile ? openFaultLog(options.faultLogFile, log) : undefined;
  const faults = createFaultTable({
    ...(options.faultRandom ? { random: options.faultRandom } : {}),
    ...(faultLog ? { onEvent: (event) => faultLog.write(event) } : {}),
  });
  const deploy = async (requested: FunctionSpec): Promise<FunctionStatus> => {
    const spec = options.snapshotsByDefault ? withSnapshotDefault(requested) : requested;
    const envFault = envFaultOf(spec);
    const status = await registry.deploy(spec);
    // The gateway carries out the function's own HIVELAB_FAULT, so it is recorded like the rest.
    if (envFault) faults.set(`${spec.namespace}/${spec.name}`, envFault, 'env');
    return status;
  };
  const remove = async (namespace: string, name: string): Promise<boolean> => {
    faults.clear(`${namespace}/${name}`);
    return registry.remove(namespace, name);
  };
  const removeAll = async (): Promise<void> => {
    faults.clearAll();
    await registry.removeAll();
  };
  const list = (): FunctionStatus[] => registry.list();

  const handler = createGatewayHandler({
    lookup: (namespace, name) => registry.lookup(namespace, name),
    notFound: (authority, url) => notFoundText(authority, url, list()),
    admin: createAdminHandler({
      deploy,
      remove,
      removeAll,
      list,
      get: (namespace, name) => registry.get(namespace, name),
      history: (namespace, name) => registry.history(namespace, name),
      logs,
      faults,
    }),
    agent,
    h2,
    reporter,
    faultFor: (fn, traceId) => {
      const order = faults.decide(`${fn.spec.namespace}/${fn.spec.name}`, traceId);
      if (order) return formatFaultOrder(order);
      return fn.spec.env.HIVELAB_FAULT !== undefined ? NO_FAULT : undefined;
    },
  });
  let server;
  try {
    server = await listenDualProtocol(host, options.port ?? 8080, handler);
  } catch (error) {
    await reporter?.close?.();
    await faultLog?.close();
    if (ownStateDir) await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  port = server.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    client: new PlatformClient(url),
    faults,
    deploy,
    remove,
    list,
    async close() {
      await removeAll();
      await server.close();
      agent.destroy();
      h2.closeAll();
      await registry.close();
      await reporter?.close?.();
      await faultLog?.close();
      if (ownStateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Pure: `spec` with snapshot cold starts when it can have them and did not choose a mode itself. */
export function withSnapshotDefault(spec: FunctionSpec): FunctionSpec {
  const eligible =
    spec.coldStart === 'boot' &&
    spec.coldStartAnnotated !== true &&
    spec.handlerModule !== undefined &&
    spec.sandbox === 'process';
  return eligible ? { ...spec, coldStart: 'snapshot' } : spec;
}

/** The spec of a function's own `HIVELAB_FAULT`; a bad one fails the deploy naming the variable. */
function envFaultOf(spec: FunctionSpec): FaultSpec | undefined {
  const text = spec.env.HIVELAB_FAULT;
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseFaultSpec(text);
  } catch (error) {
    throw new UserError(
      `${spec.namespace}/${spec.name}: env HIVELAB_FAULT: ${errorMessage(error)}`,
      'write it like delay=50ms,share=0.1',
    );
  }
}

/** The gateway as instances reach it: on loopback when it listens on every address. */
function reachableUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** The 404 body: what was asked for and what is deployed, with both ways to reach each. */
function notFoundText(authority: string | undefined, url: string, deployed: FunctionStatus[]): string {
  const asked = `no function for host ${JSON.stringify(authority ?? '')} and path ${JSON.stringify(url)}`;
  if (deployed.length === 0)
    return `${asked}; no functions are deployed (deploy one with \`hivelab deploy\`)`;
  const rows = deployed.map(
    (f) =>
      `  ${f.namespace}/${f.name}: ${f.url}${f.namespace === 'default' ? ` or path /fn/${f.name}/` : ''}`,
  );
  return `${asked}; deployed functions:\n${rows.join('\n')}`;
}
