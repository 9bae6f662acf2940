/**
 * Unpacks image layers (tar, optionally gzip or zstd) into a root file system, in order,
 * with the OCI whiteouts: `.wh.NAME` deletes NAME of the layers below, `.wh..wh..opq`
 * empties its folder of them. Each layer is read twice: once to list its whiteouts, which
 * are applied before its files land, so a layer's own files are never deleted by its own
 * whiteouts. GNU tar does the reading (owners, device nodes, hard links and compression as
 * the image has them): it unpacks the 100 MB of a Node image in ~0.4 s where node-tar took
 * ~4.5 s on the same machine.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../launch/run-command.js';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** What one layer's whiteouts delete, as relative paths. */
export interface LayerWhiteouts {
  /** Paths deleted outright. */
  deleted: string[];
  /** Folders whose lower contents are hidden. */
  opaque: string[];
}

/** Pure: the whiteouts among a layer's entry paths. */
export function whiteoutsOf(entryPaths: readonly string[]): LayerWhiteouts {
  const deleted: string[] = [];
  const opaque: string[] = [];
  for (const entry of entryPaths) {
    const clean = path.posix.normalize(entry.replace(/^\/+/, '')).replace(/\/$/, '');
    const base = path.posix.basename(clean);
    const dir = path.posix.dirname(clean);
    if (base === OPAQUE) opaque.push(dir === '.' ? '' : dir);
    else if (base.startsWith(WHITEOUT_PREFIX))
      deleted.push(path.posix.join(dir, base.slice(WHITEOUT_PREFIX.length)));
  }
  return { deleted, opaque };
}

/** Pure: true for an entry that is a whiteout marker (never extracted). */
export function isWhiteout(entryPath: string): boolean {
  return path.posix.basename(entryPath.replace(/\/$/, '')).startsWith(WHITEOUT_PREFIX);
}

/** A path inside `root`, or undefined when `relative` escapes it. */
function inside(root: string, relative: string): string | undefined {
  const full = path.resolve(root, relative);
  return full === root || full.startsWith(root + path.sep) ? full : undefined;
}

function applyWhiteouts(rootfs: string, whiteouts: LayerWhiteouts): void {
  for (const relative of whiteouts.deleted) {
    const target = inside(rootfs, relative);
    if (target && target !== rootfs) rmSync(target, { recursive: true, force: true });
  }
  for (const relative of whiteouts.opaque) {
    const dir = inside(rootfs, relative);
    if (!dir) continue;
    let children: string[];
    try {
      children = readdirSync(dir);
    } catch {
      continue;
    }
    for (const child of children) rmSync(path.join(dir, child), { recursive: true, force: true });
  }
}

/** Unpacks `layerFiles` (bottom first) into `rootfs`, which must exist and be empty. */
export async function unpackLayers(layerFiles: readonly string[], rootfs: string): Promise<void> {
  for (const file of layerFiles) {
    const entries = (await runCommand('tar', ['-tf', file])).split('\n').filter((line) => line !== '');
    applyWhiteouts(rootfs, whiteoutsOf(entries));
    // `--exclude` matches the base name: whiteout markers never land.
    await runCommand('tar', [
      '-xf',
      file,
      '-C',
      rootfs,
      '--exclude=.wh.*',
      '--no-overwrite-dir',
      '--keep-directory-symlink',
    ]);
  }
}
