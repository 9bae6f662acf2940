/**
 * The `--store postgres://user:pass@host:5432/db[?partition=1h]` URL: what hivelab takes
 * from it (the partition width of a new database) and how it is shown (password hidden).
 */

/** A parsed store URL. */
export interface PgStoreUrl {
  /** The connection string for `pg`, without hivelab's own parameters. */
  connectionString: string;
  /** The URL with its password replaced by `***`, for messages. */
  shown: string;
  /** `?partition=` in µs, when given. */
  partitionUs?: number;
}

const UNIT_US: Record<string, number> = { m: 60e6, h: 3600e6, d: 86_400e6 };

/** Parses a partition width such as `1d`, `6h` or `10m` into µs. */
export function parsePartitionWidth(value: string): number {
  const match = /^(\d+)([mhd])$/.exec(value);
  const us = match === null ? NaN : Number(match[1]) * UNIT_US[match[2]!]!;
  if (!(us > 0)) {
    throw new Error(`partition=${value} is not a width such as 1d, 6h or 10m`);
  }
  return us;
}

/** True when `value` names a PostgreSQL store (`postgres://` or `postgresql://`). */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** Parses the URL; throws an `Error` naming what is wrong. */
export function parsePgStoreUrl(value: string): PgStoreUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('not a URL such as postgres://user:password@host:5432/database');
  }
  if (!isPostgresUrl(value)) throw new Error('the URL must start with postgres:// or postgresql://');
  const partition = url.searchParams.get('partition');
  url.searchParams.delete('partition');
  const connectionString = url.toString();
  if (url.password !== '') url.password = '***';
  return {
    connectionString,
    shown: url.toString(),
    ...(partition !== null ? { partitionUs: parsePartitionWidth(partition) } : {}),
  };
}
