/**
 * Which TCP ports a set of processes listens on, from Linux `/proc`: the sockets in
 * LISTEN state of `/proc/<pid>/net/tcp{,6}` (the process's own network namespace) whose
 * inodes the processes hold open. What a readiness failure names, so "did not get ready"
 * says that the server listens on 50051 while the platform probes 8080.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const LISTEN_STATE = '0A';

/** Pure: `{port, inode}` of each listening socket in a `/proc/net/tcp` or `tcp6` text. */
export function parseListeningSockets(text: string): { port: number; inode: number }[] {
  const out: { port: number; inode: number }[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (fields[3] !== LISTEN_STATE || local === undefined) continue;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const inode = Number(fields[9]);
    if (Number.isFinite(port) && Number.isFinite(inode)) out.push({ port, inode });
  }
  return out;
}

function socketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(Number(match[1]));
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}

/** The pid and its descendants (via `/proc/<pid>/task/<tid>/children`). */
export function processTree(pid: number): number[] {
  const all: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && all.length < 1000) {
    const next = queue.shift()!;
    all.push(next);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${next}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        for (const child of readFileSync(`/proc/${next}/task/${tid}/children`, 'utf8').split(/\s+/)) {
          if (/^\d+$/.test(child)) queue.push(Number(child));
        }
      } catch {
        // Thread gone.
      }
    }
  }
  return all;
}

/** Sorted TCP ports the processes `pids` listen on (empty when none or unreadable). */
export function listeningPorts(pids: readonly number[]): number[] {
  const ports = new Set<number>();
  for (const pid of pids) {
    const inodes = socketInodes(pid);
    if (inodes.size === 0) continue;
    for (const table of ['tcp', 'tcp6']) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
      } catch {
        continue;
      }
      for (const socket of parseListeningSockets(text)) if (inodes.has(socket.inode)) ports.add(socket.port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Pure: the sentence a readiness failure adds. */
export function describeListening(probedPort: number, ports: readonly number[], portName = 'PORT'): string {
  const listens =
    ports.length === 0
      ? 'the process listens on no TCP port'
      : `the process listens on ${ports.length === 1 ? 'port' : 'ports'} ${ports.join(', ')}`;
  const hint =
    ports.length > 0 && !ports.includes(probedPort)
      ? ` (serve on $${portName}, or declare the port it uses as containerPort)`
      : '';
  return `probed port ${probedPort} (${portName}); ${listens}${hint}`;
}
