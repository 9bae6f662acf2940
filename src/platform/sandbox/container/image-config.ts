/**
 * The image's own process defaults (OCI image config: `Entrypoint`, `Cmd`, `Env`,
 * `WorkingDir`, `User`) and how a Kubernetes container overrides them. Pure.
 */

/** What an OCI image config says about the process it starts. */
export interface ImageProcessDefaults {
  entrypoint: string[];
  cmd: string[];
  /** `NAME=value` entries, in order. */
  env: string[];
  workingDir: string;
  user: string;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Pure: reads the `config` object of an OCI image config (missing fields are empty). */
export function imageProcessDefaults(imageConfig: unknown): ImageProcessDefaults {
  const config =
    typeof imageConfig === 'object' && imageConfig !== null && 'config' in imageConfig
      ? imageConfig.config
      : undefined;
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  return {
    entrypoint: stringList(c.Entrypoint),
    cmd: stringList(c.Cmd),
    env: stringList(c.Env),
    workingDir: typeof c.WorkingDir === 'string' && c.WorkingDir !== '' ? c.WorkingDir : '/',
    user: typeof c.User === 'string' ? c.User : '',
  };
}

/**
 * Pure: the argv as Kubernetes builds it. `command` replaces the image's `Entrypoint` (and
 * drops its `Cmd`); `args` replace `Cmd`.
 */
export function containerArgv(
  image: Pick<ImageProcessDefaults, 'entrypoint' | 'cmd'>,
  container: { command?: readonly string[]; args?: readonly string[] },
): string[] {
  if (container.command !== undefined) return [...container.command, ...(container.args ?? [])];
  return [...image.entrypoint, ...(container.args ?? image.cmd)];
}

/** Pure: `NAME=value` list → record (a later entry wins). */
export function envRecord(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

/** Pure: record → `NAME=value` list. */
export function envList(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

/** Pure: the uid of a user name (or a number) in an `/etc/passwd` text. */
function lookupId(name: string, table: string, idField: number): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  for (const line of table.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[idField] !== undefined && /^\d+$/.test(fields[idField])) {
      return Number(fields[idField]);
    }
  }
  return undefined;
}

/**
 * Pure: `User` of an image config (`""`, `uid`, `name`, `uid:gid`, `name:group`) → numeric
 * ids, looked up in the image's `/etc/passwd` and `/etc/group` texts.
 * @throws Error when a name is not found.
 */
export function resolveUser(user: string, passwd: string, group: string): { uid: number; gid: number } {
  if (user === '') return { uid: 0, gid: 0 };
  const [userPart = '', groupPart] = user.split(':');
  const uid = lookupId(userPart, passwd, 2);
  if (uid === undefined) throw new Error(`image user ${JSON.stringify(userPart)} is not in its /etc/passwd`);
  if (groupPart !== undefined) {
    const gid = lookupId(groupPart, group, 2);
    if (gid === undefined)
      throw new Error(`image group ${JSON.stringify(groupPart)} is not in its /etc/group`);
    return { uid, gid };
  }
  // A user without a group runs with its primary group (field 4 of passwd).
  const primary = /^\d+$/.test(userPart) ? undefined : lookupId(userPart, passwd, 3);
  return { uid, gid: primary ?? (/^\d+$/.test(userPart) ? 0 : uid) };
}
