/**
 * One attempt of a spec's probe (probe-spec.ts) against an instance, as the kubelet (via
 * Knative's queue-proxy) makes it: `tcpSocket` opens a connection; `httpGet` sends a GET
 * without keep-alive (`User-Agent: kube-probe/…`, the spec's headers) and passes on a status
 * from 200 to 399; `grpc` calls `grpc.health.v1.Health/Check` and passes on `SERVING`.
 * Rejects with the reason, within `timeoutMs`.
 */
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { packageRoot } from '../../../package-root.js';
import type { ProbeHandler } from '../../function-spec/index.js';

/** Where a probe connects: the instance's serving port on loopback, or another port of its pod. */
export interface ProbeTarget {
  host: string;
  port: number;
}

/** Pure: the target of `handler` for an instance serving on loopback `servingPort` (and pod `podIp`, if any). */
export function probeTarget(
  handler: ProbeHandler,
  servingPort: number,
  podIp: string | undefined,
): ProbeTarget {
  if (handler.port === undefined) return { host: '127.0.0.1', port: servingPort };
  // Another port of the pod: the host reaches the pod's address through the veth pair; without a pod, the host's.
  return { host: podIp ?? '127.0.0.1', port: handler.port };
}

function tcpProbe(target: ProbeTarget, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(target.port, target.host);
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`TCP connect timed out after ${timeoutMs} ms`)),
    );
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) => reject(new Error(`TCP connect to ${target.port}: ${error.message}`)));
  });
}

function httpProbe(
  handler: Extract<ProbeHandler, { kind: 'httpGet' }>,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<void> {
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/hivelab', 'k-network-probe': 'queue' };
  for (const header of handler.headers) headers[header.name.toLowerCase()] = header.value;
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: target.host, port: target.port, path: handler.path, agent: false, headers, timeout: timeoutMs },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 400) resolve();
        else reject(new Error(`HTTP GET ${handler.path}: status ${status}`));
      },
    );
    req.once('timeout', () =>
      req.destroy(new Error(`HTTP GET ${handler.path} timed out after ${timeoutMs} ms`)),
    );
    req.once('error', (error) => reject(new Error(`HTTP GET ${handler.path}: ${error.message}`)));
  });
}

type HealthClient = {
  Check(
    request: { service: string },
    options: { deadline: Date },
    callback: (error: Error | null, response?: { status: string }) => void,
  ): void;
  close(): void;
};
let healthClientClass: Promise<new (address: string, credentials: unknown) => HealthClient> | undefined;

async function loadHealthClient(): Promise<new (address: string, credentials: unknown) => HealthClient> {
  const [grpc, loader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
  const definition = await loader.load(
    path.join(packageRoot, 'proto', 'grpc', 'health', 'v1', 'health.proto'),
    {
      enums: String,
    },
  );
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { health: { v1: { Health: new (address: string, credentials: unknown) => HealthClient } } };
  };
  return loaded.grpc.health.v1.Health;
}

async function grpcProbe(
  handler: Extract<ProbeHandler, { kind: 'grpc' }>,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<void> {
  healthClientClass ??= loadHealthClient();
  const Health = await healthClientClass;
  const grpc = await import('@grpc/grpc-js');
  const client = new Health(`${target.host}:${target.port}`, grpc.credentials.createInsecure());
  try {
    await new Promise<void>((resolve, reject) => {
      client.Check(
        { service: handler.service },
        { deadline: new Date(Date.now() + timeoutMs) },
        (error, response) => {
          if (error) reject(new Error(`gRPC health check: ${error.message}`));
          else if (response?.status !== 'SERVING')
            reject(new Error(`gRPC health check: status ${response?.status ?? 'none'}`));
          else resolve();
        },
      );
    });
  } finally {
    client.close();
  }
}

/** One attempt; rejects with why it failed. */
export function runProbeOnce(handler: ProbeHandler, target: ProbeTarget, timeoutMs: number): Promise<void> {
  if (handler.kind === 'tcpSocket') return tcpProbe(target, timeoutMs);
  if (handler.kind === 'httpGet') return httpProbe(handler, target, timeoutMs);
  return grpcProbe(handler, target, timeoutMs);
}
