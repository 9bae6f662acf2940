/**
 * Test support: a private PostgreSQL 15 server (initdb into a temporary directory, its own
 * port), for faults that must not touch the shared server: restarting it under load,
 * filling its disk. Runs the server as the `postgres` user, so it needs root and Debian's
 * PostgreSQL binaries; without them the tests that need it are skipped with the reason,
 * except under CI, where that is a failure.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/** Why a private server cannot run here, or undefined. Throws under CI. */
export function privatePostgresUnavailableReason(): string | undefined {
  let reason: string | undefined;
  if (!existsSync(path.join(BIN, 'initdb'))) reason = `no PostgreSQL 15 binaries in ${BIN}`;
  else if (userInfo().uid !== 0)
    reason = 'starting a private PostgreSQL needs root (to run it as the postgres user)';
  if (reason !== undefined && process.env['CI']) throw new Error(`cannot be skipped under CI: ${reason}`);
  return reason;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** A running private server. */
export interface PrivatePostgres {
  /** Superuser URL (trust authentication on loopback). */
  url: string;
  /** The temporary directory (owned by postgres) holding the cluster. */
  dir: string;
  /** Stops the server as a crash would (`-m immediate`), then starts it again. */
  crashRestart(downMs: number): Promise<void>;
  /** Stops the server and removes its files. */
  destroy(): Promise<void>;
}

const asPostgres = (command: string, args: string[]): Promise<unknown> =>
  run('runuser', ['-u', 'postgres', '--', path.join(BIN, command), ...args], { timeout: 60_000 });

/** initdb and start a server on a free port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hivelab-pg-'));
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  const data = path.join(dir, 'data');
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB`;
  const start = (): Promise<unknown> =>
    asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  const stop = (): Promise<unknown> => asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    crashRestart: async (downMs) => {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    destroy: async () => {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
