/**
 * Reads an image from a `docker save` archive: extracts it to a scratch folder, then reads
 * its `manifest.json` (`[{Config, RepoTags, Layers}]`). Works for the classic layout and
 * for the OCI layout newer Docker versions write inside the archive (both keep
 * `manifest.json`). The digest is the config's sha256, Docker's image id.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../launch/run-command.js';
import type { ResolvedImage } from './oci-layout.js';

interface ArchiveManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Pure: Docker's way of naming an image without a tag (`name` → `name:latest`). */
function withTag(reference: string): string {
  const lastSlash = reference.lastIndexOf('/');
  return reference.lastIndexOf(':') > lastSlash ? reference : `${reference}:latest`;
}

/** Pure: the entry of a `manifest.json` for `reference` (or the only one). */
export function pickArchiveImage(
  entries: readonly ArchiveManifestEntry[],
  reference: string | undefined,
  where: string,
): ArchiveManifestEntry {
  if (reference !== undefined) {
    const wanted = withTag(reference);
    const found = entries.find((e) =>
      (e.RepoTags ?? []).some((tag) => tag === wanted || tag === `docker.io/${wanted}`),
    );
    if (found) return found;
    const tags = entries.flatMap((e) => e.RepoTags ?? []);
    throw new Error(
      `${where} has no image ${JSON.stringify(reference)} (images: ${tags.join(', ') || 'untagged'})`,
    );
  }
  if (entries.length === 1 && entries[0]) return entries[0];
  throw new Error(`${where} holds ${entries.length} images: name one as docker-archive:PATH:REFERENCE`);
}

/** Extracts `archive` into `scratch` (created) and resolves the image in it. */
export async function readDockerArchive(
  archive: string,
  scratch: string,
  reference?: string,
): Promise<ResolvedImage> {
  const where = `docker archive ${archive}`;
  await mkdir(scratch, { recursive: true });
  try {
    await runCommand('tar', ['-xf', archive, '-C', scratch, '--no-same-owner']);
  } catch (error) {
    throw new Error(`${where}: cannot extract (${(error as Error).message})`, { cause: error });
  }
  let entries: ArchiveManifestEntry[];
  try {
    entries = JSON.parse(
      await readFile(path.join(scratch, 'manifest.json'), 'utf8'),
    ) as ArchiveManifestEntry[];
  } catch {
    throw new Error(`${where}: no manifest.json (is it a "docker save" archive?)`);
  }
  const entry = pickArchiveImage(entries, reference, where);
  const configBytes = await readFile(path.join(scratch, entry.Config));
  return {
    digest: `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
    config: JSON.parse(configBytes.toString('utf8')) as unknown,
    layerFiles: entry.Layers.map((layer) => path.join(scratch, layer)),
  };
}
