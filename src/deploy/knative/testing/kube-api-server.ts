/**
 * Test support: a local HTTP server answering the Kubernetes API calls the Knative
 * deployer makes — create, get, replace, list, watch and delete of `serving.knative.dev/v1`
 * Services — with a small "controller" that moves each created Service's conditions along
 * a script (to Ready with a URL, or to Ready=False with Knative's reason). Requires a bearer
 * token, as an API server does, so a test shows the kubeconfig's credentials are used.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KnativeCondition, KnativeServiceObject } from '../knative-status.js';

/** One step of a Service's life after creation. */
export interface StatusStep {
  afterMs: number;
  conditions: KnativeCondition[];
  /** Set `status.url` (and the revision names) with this step. */
  url?: boolean;
  /** Count `afterMs` from the first watch of this Service, not from its creation. */
  afterWatch?: boolean;
}

/** A request the server saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
}

/** Options of {@link startKubeApiServer}. */
export interface KubeApiServerOptions {
  token: string;
  /** The domain of Service URLs. @default 'example.com' */
  domain?: string;
  /** The life of a Service by name. @default {@link becomesReady} */
  script?: (name: string) => StatusStep[];
  /** End every watch after this long (API servers do). @default never */
  watchTimeoutMs?: number;
}

/** The default life: Unknown at once, then Ready after 30 ms. */
export function becomesReady(): StatusStep[] {
  return [
    {
      afterMs: 0,
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'RevisionMissing',
          message: 'Configuration "x" is waiting for a Revision to become ready.',
        },
      ],
    },
    {
      afterMs: 30,
      url: true,
      conditions: [
        { type: 'ConfigurationsReady', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'RoutesReady', status: 'True' },
      ],
    },
  ];
}

/** A running fake API server. */
export interface KubeApiServer {
  url: string;
  requests: SeenRequest[];
  services: Map<string, KnativeServiceObject>;
  close(): Promise<void>;
}

const BASE = /^\/apis\/serving\.knative\.dev\/v1\/namespaces\/([a-z0-9-]+)\/services(?:\/([a-z0-9-]+))?$/;

function status(res: http.ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    }),
  );
}

function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const services = new Map<string, KnativeServiceObject>();
  const requests: SeenRequest[] = [];
  const watchers = new Set<{ namespace: string; name?: string; res: http.ServerResponse }>();
  const timers = new Set<NodeJS.Timeout>();
  let version = 100;
  const domain = options.domain ?? 'example.com';
  const script = options.script ?? becomesReady;

  const notify = (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KnativeServiceObject): void => {
    for (const watcher of watchers) {
      if (watcher.namespace !== object.metadata.namespace) continue;
      if (watcher.name !== undefined && watcher.name !== object.metadata.name) continue;
      watcher.res.write(JSON.stringify({ type, object }) + '\n');
    }
  };
  const waitingForWatch = new Map<string, Array<() => void>>();
  const runController = (key: string, name: string, namespace: string): void => {
    for (const step of script(name)) {
      const schedule = (): void => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          const current = services.get(key);
          if (!current) return;
          const next: KnativeServiceObject = {
            ...current,
            metadata: { ...current.metadata, resourceVersion: String(++version) },
            status: {
              ...current.status,
              observedGeneration: current.metadata.generation ?? 1,
              conditions: step.conditions,
              latestCreatedRevisionName: `${name}-00001`,
              ...(step.url
                ? { url: `http://${name}.${namespace}.${domain}`, latestReadyRevisionName: `${name}-00001` }
                : {}),
            },
          };
          services.set(key, next);
          notify('MODIFIED', next);
        }, step.afterMs);
        timers.add(timer);
      };
      if (step.afterWatch !== true) schedule();
      else waitingForWatch.set(key, [...(waitingForWatch.get(key) ?? []), schedule]);
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    };
    if (req.headers.authorization !== undefined) seen.authorization = req.headers.authorization;
    requests.push(seen);
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    const match = BASE.exec(url.pathname);
    if (!match) {
      status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
      return;
    }
    const namespace = match[1]!;
    const name = match[2];
    const key = `${namespace}/${name ?? ''}`;
    void (async () => {
      if (
        name === undefined &&
        req.method === 'GET' &&
        (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1')
      ) {
        const field = url.searchParams.get('fieldSelector');
        const watcher = {
          namespace,
          res,
          ...(field?.startsWith('metadata.name=') ? { name: field.slice('metadata.name='.length) } : {}),
        };
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        res.flushHeaders();
        watchers.add(watcher);
        // As an API server does: what changed after the resourceVersion asked for is sent first.
        const since = Number(url.searchParams.get('resourceVersion') ?? 'NaN');
        if (Number.isFinite(since)) {
          for (const service of services.values()) {
            if (service.metadata.namespace !== namespace) continue;
            if (watcher.name !== undefined && service.metadata.name !== watcher.name) continue;
            if (Number(service.metadata.resourceVersion) > since)
              res.write(JSON.stringify({ type: 'MODIFIED', object: service }) + '\n');
          }
        }
        if (watcher.name !== undefined) {
          const pending = waitingForWatch.get(`${namespace}/${watcher.name}`) ?? [];
          waitingForWatch.delete(`${namespace}/${watcher.name}`);
          for (const schedule of pending) schedule();
        }
        const end = () => watchers.delete(watcher);
        res.on('close', end);
        if (options.watchTimeoutMs !== undefined) {
          const timer = setTimeout(() => res.end(), options.watchTimeoutMs);
          timers.add(timer);
        }
        return;
      }
      if (name === undefined && req.method === 'GET') {
        const selector = url.searchParams.get('labelSelector');
        const items = [...services.values()].filter((service) => {
          if (service.metadata.namespace !== namespace) return false;
          if (!selector) return true;
          return selector.split(',').every((term) => {
            const [labelKey, labelValue] = term.split('=');
            return service.metadata.labels?.[labelKey!] === labelValue;
          });
        });
        sendJson(res, 200, {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'ServiceList',
          metadata: { resourceVersion: String(version) },
          items,
        });
        return;
      }
      if (name === undefined && req.method === 'POST') {
        const body = (await readJson(req)) as KnativeServiceObject;
        const created = `${namespace}/${body.metadata.name}`;
        if (services.has(created)) {
          status(
            res,
            409,
            'AlreadyExists',
            `services.serving.knative.dev "${body.metadata.name}" already exists`,
          );
          return;
        }
        const object: KnativeServiceObject = {
          ...body,
          metadata: {
            ...body.metadata,
            namespace,
            generation: 1,
            resourceVersion: String(++version),
            creationTimestamp: new Date().toISOString(),
            uid: `uid-${version}`,
          },
        };
        services.set(created, object);
        notify('ADDED', object);
        runController(created, body.metadata.name, namespace);
        sendJson(res, 201, object);
        return;
      }
      const current = services.get(key);
      if (current === undefined) {
        status(res, 404, 'NotFound', `services.serving.knative.dev "${name}" not found`);
        return;
      }
      if (req.method === 'GET') sendJson(res, 200, current);
      else if (req.method === 'PUT') {
        const body = (await readJson(req)) as KnativeServiceObject;
        if (body.metadata.resourceVersion !== current.metadata.resourceVersion) {
          status(
            res,
            409,
            'Conflict',
            'the object has been modified; please apply your changes to the latest version and try again',
          );
          return;
        }
        const object: KnativeServiceObject = {
          ...body,
          metadata: {
            ...current.metadata,
            ...body.metadata,
            generation: (current.metadata.generation ?? 1) + 1,
            resourceVersion: String(++version),
          },
          ...(current.status ? { status: current.status } : {}),
        };
        services.set(key, object);
        notify('MODIFIED', object);
        runController(key, name!, namespace);
        sendJson(res, 200, object);
      } else if (req.method === 'DELETE') {
        services.delete(key);
        notify('DELETED', current);
        sendJson(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Success',
          details: { name, group: 'serving.knative.dev', kind: 'services', uid: current.metadata.uid },
        });
      } else status(res, 405, 'MethodNotAllowed', `${req.method} is not supported`);
    })().catch((error: unknown) => status(res, 400, 'BadRequest', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    services,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const watcher of watchers) watcher.res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A kubeconfig (YAML) with a context `test` for `server` and `token`, and an `other` context.
 * The test server speaks plain HTTP, which client-node allows only with
 * `insecure-skip-tls-verify` (as for `kubectl proxy`).
 */
export function kubeconfigYaml(server: string, token: string, otherServer = 'http://127.0.0.1:1'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: test\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true`,
    `- name: other\n  cluster:\n    server: ${otherServer}\n    insecure-skip-tls-verify: true`,
    'users:',
    `- name: test\n  user:\n    token: ${token}`,
    'contexts:',
    '- name: test\n  context:\n    cluster: test\n    user: test',
    '- name: other\n  context:\n    cluster: other\n    user: test',
    'current-context: test',
    '',
  ].join('\n');
}
