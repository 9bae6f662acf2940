/**
 * What the log store keeps beside an instance's log files (`instance.json`): whose it is,
 * its containers, when it started and, once gone, how it ended. Pure (parse and describe).
 */
import type { SandboxExit } from '../sandbox/sandbox.js';

export interface InstanceLogMeta {
  instanceId: string;
  namespace: string;
  name: string;
  sandbox: string;
  /** Its containers, serving one first (a process or worker instance has one). */
  containers: string[];
  startedAt: string;
  /** The platform process that ran it: an entry without an end from another one was cut short. */
  platformPid?: number;
  endedAt?: string;
  exit?: SandboxExit;
}

/** Pure: the meta in a file's text, or undefined when it is not one. */
export function parseInstanceMeta(text: string): InstanceLogMeta | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const meta = value as Partial<InstanceLogMeta>;
  if (typeof meta.instanceId !== 'string' || typeof meta.startedAt !== 'string') return undefined;
  if (!Array.isArray(meta.containers)) return undefined;
  return meta as InstanceLogMeta;
}

/** Pure: `running`, `stopped`, or `crashed: <message>` for an instance list. */
export function describeInstanceState(meta: InstanceLogMeta): string {
  if (!meta.exit) return 'running';
  return meta.exit.reason === 'stopped' ? 'stopped' : `${meta.exit.reason}: ${meta.exit.message}`;
}
