/**
 * The admin API of `admin-api.ts`, served by the gateway under `/_hivelab/`.
 */
import { HttpError, errorMessage } from '../../errors.js';
import { decodePathSegment, readRawBody, sendError, sendJson, sendNoContent } from '../../http/index.js';
import type { FunctionStatus } from '../admin-api.js';
import type { FunctionHistory } from '../function-history.js';
import type { LogSource } from '../logs/index.js';
import { serveLogs } from './logs-route.js';
import type { FaultTable } from '../faults/index.js';
import type { GatewayRequest, GatewayResponse } from '../gateway/server-types.js';
import type { FunctionSpec } from '../function-spec/function-spec.js';
import { validateFunctionSpec } from '../function-spec/index.js';
import { routeFaults } from './fault-routes.js';

/** What the admin API drives: the platform. */
export interface AdminTarget {
  deploy(spec: FunctionSpec): Promise<FunctionStatus>;
  remove(namespace: string, name: string): Promise<boolean>;
  removeAll(): Promise<void>;
  list(): FunctionStatus[];
  /** One function's status, if deployed. */
  get(namespace: string, name: string): FunctionStatus | undefined;
  /** One function's history, if deployed. */
  history(namespace: string, name: string): FunctionHistory | undefined;
  /** Where instance logs are kept (absent: the logs route answers 404). */
  logs?: LogSource;
  /** Faults switched at run time (`/_hivelab/faults`). */
  faults: FaultTable;
}

/** Largest spec body accepted. */
const MAX_BODY_BYTES = 1024 * 1024;
const FUNCTION_PATH = /^\/_hivelab\/functions\/([^/?]+)\/([^/?]+)\/?$/;
const HISTORY_PATH = /^\/_hivelab\/functions\/([^/?]+)\/([^/?]+)\/history\/?$/;
const LOGS_PATH = /^\/_hivelab\/functions\/([^/?]+)\/([^/?]+)\/logs\/?$/;
const FUNCTIONS_PATH = /^\/_hivelab\/functions\/?(?:\?.*)?$/;

export function createAdminHandler(
  target: AdminTarget,
): (req: GatewayRequest, res: GatewayResponse) => Promise<void> {
  return async (req, res) => {
    try {
      await route(target, req, res);
    } catch (error) {
      sendError(res, error, (line) => process.emitWarning(line), 'hivelab admin API');
    }
  };
}

async function route(target: AdminTarget, req: GatewayRequest, res: GatewayResponse): Promise<void> {
  const url = req.url ?? '/';
  const method = req.method ?? 'GET';
  const fault = await routeFaults(
    { faults: target.faults, exists: (ns, name) => target.get(ns, name) !== undefined },
    req,
    async () => (await readRawBody(req, MAX_BODY_BYTES)).toString('utf8'),
  );
  if (fault) return sendJson(res, fault.status, fault.body);
  if (FUNCTIONS_PATH.test(url)) {
    if (method === 'GET') return sendJson(res, 200, target.list());
    if (method === 'DELETE') {
      await target.removeAll();
      return sendNoContent(res);
    }
    throw new HttpError(405, `${method} is not allowed on /_hivelab/functions (GET or DELETE)`);
  }
  const logs = LOGS_PATH.exec(url.split('?')[0] ?? url);
  if (logs) {
    const namespace = decodePathSegment(logs[1] ?? '', 'namespace');
    const name = decodePathSegment(logs[2] ?? '', 'function name');
    if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on ${url} (GET)`);
    if (!target.logs) throw new HttpError(404, 'this platform keeps no instance logs');
    const params = new URL(url, 'http://admin').searchParams;
    const deployed = target.get(namespace, name) !== undefined;
    return serveLogs(target.logs, res, { namespace, name, deployed }, params);
  }
  const history = HISTORY_PATH.exec(url.split('?')[0] ?? url);
  if (history) {
    const namespace = decodePathSegment(history[1] ?? '', 'namespace');
    const name = decodePathSegment(history[2] ?? '', 'function name');
    if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on ${url} (GET)`);
    const found = target.history(namespace, name);
    if (!found) throw new HttpError(404, `no function ${namespace}/${name}`);
    return sendJson(res, 200, found);
  }
  const match = FUNCTION_PATH.exec(url.split('?')[0] ?? url);
  if (!match) throw new HttpError(404, `no admin route ${method} ${url}; see GET /_hivelab/functions`);
  const namespace = decodePathSegment(match[1] ?? '', 'namespace');
  const name = decodePathSegment(match[2] ?? '', 'function name');
  if (method === 'PUT') {
    const body = (await readRawBody(req, MAX_BODY_BYTES)).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new HttpError(400, `the body is not JSON: ${errorMessage(error)}; expected a FunctionSpec`);
    }
    const spec = validateFunctionSpec(json);
    if (spec.name !== name || spec.namespace !== namespace) {
      throw new HttpError(
        400,
        `the spec names ${spec.namespace}/${spec.name} but the path names ${namespace}/${name}; they must agree`,
      );
    }
    return sendJson(res, 200, await target.deploy(spec));
  }
  if (method === 'GET') {
    const status = target.get(namespace, name);
    if (!status) throw new HttpError(404, `no function ${namespace}/${name}`);
    return sendJson(res, 200, status);
  }
  if (method === 'DELETE') {
    if (!(await target.remove(namespace, name))) throw new HttpError(404, `no function ${namespace}/${name}`);
    return sendNoContent(res);
  }
  throw new HttpError(405, `${method} is not allowed on ${url} (GET, PUT or DELETE)`);
}
