/**
 * Where a container image comes from, as skopeo spells transports: `oci:PATH[:TAG]` (an
 * OCI image layout folder), `docker-archive:PATH[:REF]` (a `docker save` tar), or a plain
 * reference (`docker.io/vhiveease/relay:latest`) looked up in the local image store, else
 * pulled. Pure.
 */
import path from 'node:path';

export type ImageSource =
  | { transport: 'oci'; path: string; tag?: string }
  | { transport: 'docker-archive'; path: string; reference?: string }
  | { transport: 'registry'; reference: string };

/** Splits `PATH[:SUFFIX]` at the last `:` that is followed by no `/` (a path may hold colons before its last segment). */
function splitSuffix(rest: string): { file: string; suffix?: string } {
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || rest.slice(colon + 1).includes('/')) return { file: rest };
  return { file: rest.slice(0, colon), suffix: rest.slice(colon + 1) };
}

/** `FILE.tar[:REF]`: the reference (which has its own colons and slashes) follows the archive's name. */
function splitArchive(rest: string): { file: string; suffix?: string } {
  const match = /^(.*?\.tar(?:\.gz)?):(.+)$/.exec(rest);
  return match ? { file: match[1]!, suffix: match[2]! } : { file: rest };
}

/** True when `image` names a file source (`oci:` or `docker-archive:`). */
export function isFileImage(image: string): boolean {
  return /^(oci|docker-archive):/.test(image.trim());
}

/**
 * Parses an image reference; relative paths resolve against `baseDir`.
 * @throws Error when a file transport names no path.
 */
export function parseImageSource(image: string, baseDir: string): ImageSource {
  const trimmed = image.trim();
  for (const transport of ['oci', 'docker-archive'] as const) {
    const prefix = `${transport}:`;
    if (!trimmed.startsWith(prefix)) continue;
    const rest = trimmed.slice(prefix.length);
    const { file, suffix } = transport === 'oci' ? splitSuffix(rest) : splitArchive(rest);
    if (file === '')
      throw new Error(`image ${JSON.stringify(image)}: expected ${prefix}PATH[:TAG], got no path`);
    const absolute = path.resolve(baseDir, file);
    if (transport === 'oci') return { transport, path: absolute, ...(suffix ? { tag: suffix } : {}) };
    return { transport, path: absolute, ...(suffix ? { reference: suffix } : {}) };
  }
  return { transport: 'registry', reference: trimmed };
}

/** Pure: the reference with file paths made absolute (what a spec stores). */
export function absoluteImage(image: string, baseDir: string): string {
  const source = parseImageSource(image, baseDir);
  if (source.transport === 'oci') return `oci:${source.path}${source.tag ? `:${source.tag}` : ''}`;
  if (source.transport === 'docker-archive')
    return `docker-archive:${source.path}${source.reference ? `:${source.reference}` : ''}`;
  return source.reference;
}
