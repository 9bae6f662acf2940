/**
 * The settings of the three functions, from what vSwarm's manifests give them: Go/argparse
 * style flags in `args:` (`-addr recog.default.svc.cluster.local:80`, `-addr=…`, `--addr …`)
 * and the environment (`TRANSFER_TYPE`, `DecoderFrames`, `CONCURRENT_RECOG`, `ENABLE_TRACING`).
 * Pure: argv and env come in.
 */

/** `TRANSFER_TYPE`: bytes inside the gRPC messages, or keys into an object store. */
export type TransferType = 'INLINE' | 'S3';

/**
 * The container's `args:`: the platform passes them as JSON in `HIVELAB_CONTAINER_ARGS`
 * (so they survive snapshot and prewarm starts); a directly started runner gets them as argv.
 */
export function containerArgs(env: Record<string, string | undefined>, argv: readonly string[]): string[] {
  const json = env.HIVELAB_CONTAINER_ARGS;
  if (json !== undefined && json !== '') {
    const parsed: unknown = JSON.parse(json);
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed;
    throw new Error('HIVELAB_CONTAINER_ARGS: expected a JSON array of strings');
  }
  return [...argv];
}

/** Pure: the value of flag `name` (`-name v`, `-name=v`, `--name v`, `--name=v`); the last one wins. */
export function flagValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const match = /^--?([^=]+)(=(.*))?$/.exec(arg);
    if (!match || match[1] !== name) continue;
    if (match[2] !== undefined) value = match[3] ?? '';
    else if (i + 1 < args.length) value = args[++i];
  }
  return value;
}

/** Pure: `TRANSFER_TYPE` (default INLINE). @throws Error for anything else (vSwarm's XDT is not supported). */
export function transferType(env: Record<string, string | undefined>): TransferType {
  const value = (env.TRANSFER_TYPE ?? '').trim().toUpperCase() || 'INLINE';
  if (value === 'INLINE' || value === 'S3') return value;
  throw new Error(
    `TRANSFER_TYPE: expected "INLINE" or "S3", got ${JSON.stringify(env.TRANSFER_TYPE)} (XDT is not supported)`,
  );
}

/** Pure: frames to decode: env `DecoderFrames`, else the `-frames` flag, else 1 (vSwarm's defaults). */
export function decoderFrames(env: Record<string, string | undefined>, args: readonly string[]): number {
  const text = env.DecoderFrames?.trim() || flagValue(args, 'frames') || '1';
  const frames = Number(text);
  if (!Number.isInteger(frames) || frames < 1 || frames > 300) {
    throw new Error(`DecoderFrames: expected an integer from 1 to 300, got ${JSON.stringify(text)}`);
  }
  return frames;
}

/** Pure: `CONCURRENT_RECOG` — anything but "false" (any case) means concurrent, as in vSwarm. */
export function concurrentRecog(env: Record<string, string | undefined>): boolean {
  const value = env.CONCURRENT_RECOG;
  return value !== undefined && value.trim().toLowerCase() !== 'false' && value.trim() !== '';
}

/**
 * Pure: `ENABLE_TRACING` is "true" (vSwarm's test; typographic quotes, as seed 000 types
 * them, are ignored): the functions' own spans ("Decode frames", "infer", …). The gateway's
 * spans of every hop are there either way.
 */
export function tracingEnabled(env: Record<string, string | undefined>): boolean {
  return (
    (env.ENABLE_TRACING ?? '')
      .replace(/[”“"']/g, '')
      .trim()
      .toLowerCase() === 'true'
  );
}
