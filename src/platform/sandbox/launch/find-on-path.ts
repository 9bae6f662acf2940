/** Finds an executable on PATH (and in the sbin folders, where Debian keeps ip and iptables). */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The first executable `name` on PATH. */
export function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...pathEnv.split(path.delimiter), '/usr/sbin', '/sbin']) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * Throws what `spawn` would (`spawn <file> ENOENT`) when `file` names no executable, as
 * `spawn` looks it up: a path with a slash against `cwd`, a bare name on `pathEnv`. For a
 * command run through a wrapper (nsenter), whose spawn succeeds either way.
 */
export function assertSpawnable(file: string, pathEnv: string | undefined, cwd: string): void {
  const found = file.includes('/')
    ? isExecutable(path.resolve(cwd, file))
    : (pathEnv ?? '').split(path.delimiter).some((dir) => dir !== '' && isExecutable(path.join(dir, file)));
  if (!found) {
    throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT', path: file });
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
