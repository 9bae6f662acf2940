/**
 * Human retention values from flags and config (pure): ages like `7d`, `12h`, `30m` and
 * sizes like `10GB`, `512MiB`. A bad value is a `UserError` naming the flag.
 */
import { UserError } from '../errors.js';

const AGE_UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const SIZE_UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** `7d` → 604 800 000 ms. */
export function parseAgeMs(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/i.exec(value.trim());
  const ms = m ? Number(m[1]) * AGE_UNIT_MS[m[2]!.toLowerCase()]! : NaN;
  if (!(ms > 0)) {
    throw new UserError(
      `invalid ${flag} "${value}"`,
      `give a positive age with a unit: e.g. 7d, 12h, 30m, 90s`,
    );
  }
  return Math.round(ms);
}

/** `10GB` → 10 000 000 000 bytes (`GiB` for powers of two). */
export function parseSizeBytes(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)$/i.exec(value.trim());
  const bytes = m ? Number(m[1]) * SIZE_UNIT_BYTES[m[2]!.toLowerCase()]! : NaN;
  if (!(bytes > 0)) {
    throw new UserError(
      `invalid ${flag} "${value}"`,
      'give a positive size with a unit: e.g. 10GB, 500MB, 2GiB',
    );
  }
  return Math.round(bytes);
}
