/**
 * Reads an image from an OCI image layout folder (`index.json`, `blobs/sha256/…`): picks
 * the manifest by its `org.opencontainers.image.ref.name` tag (or the only one), descends a
 * multi-platform index to this machine's platform, and returns the image config and the
 * layer blob files. Docker's media types are accepted beside OCI's.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** An image resolved to its parts on disk. */
export interface ResolvedImage {
  /** Content digest that names the unpacked copy (`sha256:…`). */
  digest: string;
  /** The image config (parsed JSON). */
  config: unknown;
  /** Layer tar files, bottom first. */
  layerFiles: string[];
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  annotations?: Record<string, string>;
  platform?: { architecture?: string; os?: string };
}

const REF_NAME = 'org.opencontainers.image.ref.name';
const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/** Pure: Node's architecture name → OCI's. */
export function ociArchitecture(arch: string): string {
  return (
    (
      { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<
        string,
        string
      >
    )[arch] ?? arch
  );
}

function blobPath(layout: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (!algorithm || !hex || !/^[a-f0-9]+$/.test(hex)) throw new Error(`bad digest ${JSON.stringify(digest)}`);
  return path.join(layout, 'blobs', algorithm, hex);
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

function manifestsOf(index: unknown): Descriptor[] {
  const list = (index as { manifests?: unknown }).manifests;
  return Array.isArray(list) ? (list as Descriptor[]) : [];
}

/** Pure: the descriptor for `tag` among an index's manifests. */
export function pickManifest(
  manifests: readonly Descriptor[],
  tag: string | undefined,
  where: string,
): Descriptor {
  if (tag !== undefined) {
    const found = manifests.find((m) => m.annotations?.[REF_NAME] === tag);
    if (found) return found;
    const tags = manifests.map((m) => m.annotations?.[REF_NAME]).filter((t) => t !== undefined);
    throw new Error(
      `${where} has no image tagged ${JSON.stringify(tag)} (tags: ${tags.join(', ') || 'none'})`,
    );
  }
  if (manifests.length === 1 && manifests[0]) return manifests[0];
  throw new Error(`${where} holds ${manifests.length} images: name one as oci:PATH:TAG`);
}

/** Pure: the manifest for this platform in a multi-platform index. */
export function pickPlatform(manifests: readonly Descriptor[], arch: string, where: string): Descriptor {
  const found = manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch);
  if (found) return found;
  throw new Error(`${where} has no linux/${arch} image`);
}

/** Resolves `tag` (or the only image) of the OCI layout at `layout`. */
export async function readOciLayout(layout: string, tag?: string): Promise<ResolvedImage> {
  const where = `OCI layout ${layout}`;
  let index: unknown;
  try {
    index = await readJson(path.join(layout, 'index.json'));
  } catch (error) {
    throw new Error(`${where}: cannot read index.json (${(error as Error).message})`, { cause: error });
  }
  let descriptor = pickManifest(manifestsOf(index), tag, where);
  for (let depth = 0; descriptor.mediaType !== undefined && INDEX_TYPES.has(descriptor.mediaType); depth++) {
    if (depth > 3) throw new Error(`${where}: image indexes nested too deep`);
    const nested = await readJson(blobPath(layout, descriptor.digest));
    descriptor = pickPlatform(manifestsOf(nested), ociArchitecture(process.arch), where);
  }
  const manifest = (await readJson(blobPath(layout, descriptor.digest))) as {
    config?: Descriptor;
    layers?: Descriptor[];
  };
  if (!manifest.config) throw new Error(`${where}: manifest ${descriptor.digest} has no config`);
  for (const layer of manifest.layers ?? []) {
    if (layer.mediaType?.includes('zstd')) {
      throw new Error(
        `${where}: layer ${layer.digest} is zstd-compressed; hivelab unpacks tar and tar+gzip layers`,
      );
    }
  }
  return {
    digest: descriptor.digest,
    config: await readJson(blobPath(layout, manifest.config.digest)),
    layerFiles: (manifest.layers ?? []).map((layer) => blobPath(layout, layer.digest)),
  };
}
