/**
 * The container sandbox's images: resolves an image reference to an unpacked root file
 * system, unpacking each image once per content digest under `<imagesDir>/<hex>/`
 * (`rootfs/`, `config.json`). An unpack goes to a scratch folder first and is renamed into
 * place, so a crash never leaves a half-unpacked image that looks complete.
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { readDockerArchive } from './docker-archive.js';
import { parseImageSource } from '../../function-spec/index.js';
import type { ImageSource } from '../../function-spec/index.js';
import { readOciLayout } from './oci-layout.js';
import type { ResolvedImage } from './oci-layout.js';
import { unpackLayers } from './unpack-layers.js';

const execFileAsync = promisify(execFile);

/** An image ready to run. */
export interface UnpackedImage {
  digest: string;
  rootfs: string;
  /** The OCI image config. */
  config: unknown;
  /** The image's `/etc/passwd` and `/etc/group` ('' when absent), to resolve `User`. */
  passwd: string;
  group: string;
  /** Time this call spent unpacking (0 when the image was already unpacked). */
  unpackMs: number;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

/** What changes when an image source changes: the layout's index.json or the archive (size, mtime). */
function sourceVersion(image: string): string | undefined {
  const source = parseImageSource(image, process.cwd());
  const file =
    source.transport === 'oci'
      ? path.join(source.path, 'index.json')
      : source.transport === 'docker-archive'
        ? source.path
        : undefined;
  if (file === undefined) return undefined;
  try {
    const info = statSync(file);
    return `${info.size}|${info.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Pure: the tag under which a registry reference is kept in the local store. */
export function storeTag(reference: string): string {
  return reference.replace(/[^A-Za-z0-9._-]/g, '_');
}

export class ImageStore {
  private readonly unpacking = new Map<string, Promise<void>>();
  private readonly archives = new Map<string, Promise<ResolvedImage>>();
  /** Images already unpacked, by reference and the version of their source (see `sourceVersion`). */
  private readonly known = new Map<string, { version: string; image: UnpackedImage }>();

  /**
   * @param imagesDir where unpacked images live (under the data dir).
   * @param log where the store says what it unpacks or pulls.
   */
  constructor(
    readonly imagesDir: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Resolves `image` (`oci:…`, `docker-archive:…` or a reference) and unpacks it if needed. */
  async get(image: string): Promise<UnpackedImage> {
    // A launch of an image already seen costs one stat, not three JSON reads.
    const version = sourceVersion(image);
    const known = this.known.get(image);
    if (known && version !== undefined && known.version === version) return { ...known.image, unpackMs: 0 };
    const unpacked = await this.load(image);
    if (version !== undefined) this.known.set(image, { version, image: unpacked });
    return unpacked;
  }

  private async load(image: string): Promise<UnpackedImage> {
    const resolved = await this.resolve(parseImageSource(image, process.cwd()), image);
    const dir = path.join(this.imagesDir, resolved.digest.replace(/^sha256:/, ''));
    const started = performance.now();
    let unpackMs = 0;
    if (!existsSync(path.join(dir, 'config.json'))) {
      let pending = this.unpacking.get(dir);
      if (!pending) {
        pending = this.unpack(resolved, dir, image).finally(() => this.unpacking.delete(dir));
        this.unpacking.set(dir, pending);
      }
      await pending;
      unpackMs = performance.now() - started;
    }
    const rootfs = path.join(dir, 'rootfs');
    return {
      digest: resolved.digest,
      rootfs,
      config: resolved.config,
      passwd: await readText(path.join(rootfs, 'etc', 'passwd')),
      group: await readText(path.join(rootfs, 'etc', 'group')),
      unpackMs,
    };
  }

  private async unpack(resolved: ResolvedImage, dir: string, image: string): Promise<void> {
    const scratch = `${dir}.unpacking-${process.pid}-${Date.now().toString(36)}`;
    this.log(`unpacking ${image} (${resolved.digest.slice(0, 19)}) into ${dir}`);
    try {
      await mkdir(path.join(scratch, 'rootfs'), { recursive: true });
      await unpackLayers(resolved.layerFiles, path.join(scratch, 'rootfs'));
      await writeFile(path.join(scratch, 'config.json'), JSON.stringify(resolved.config));
      await rename(scratch, dir).catch((error: unknown) => {
        // Another process unpacked the same digest meanwhile: keep theirs.
        if (!existsSync(path.join(dir, 'config.json'))) throw error;
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private async resolve(source: ImageSource, image: string): Promise<ResolvedImage> {
    if (source.transport === 'oci') return readOciLayout(source.path, source.tag);
    if (source.transport === 'docker-archive') return this.resolveArchive(source.path, source.reference);
    return this.resolveReference(source.reference, image);
  }

  /** Extracts an archive once per (path, size, mtime) and process; the unpacked image outlives it. */
  private async resolveArchive(archive: string, reference: string | undefined): Promise<ResolvedImage> {
    const info = await stat(archive).catch(() => {
      throw new Error(`docker archive ${archive} does not exist`);
    });
    const key = `${archive}|${reference ?? ''}|${info.size}|${info.mtimeMs}`;
    let pending = this.archives.get(key);
    if (!pending) {
      const scratch = path.join(this.imagesDir, 'archives', `${process.pid}-${this.archives.size}`);
      pending = readDockerArchive(archive, scratch, reference);
      this.archives.set(key, pending);
      pending.catch(() => this.archives.delete(key));
    }
    return pending;
  }

  /**
   * A plain reference: the local store (`<imagesDir>/store`, an OCI layout tagged by
   * reference), else a pull with skopeo into it.
   */
  private async resolveReference(reference: string, image: string): Promise<ResolvedImage> {
    const store = path.join(this.imagesDir, 'store');
    const tag = storeTag(reference);
    try {
      return await readOciLayout(store, tag);
    } catch {
      // Not in the store yet: pull.
    }
    this.log(`pulling ${image} with skopeo`);
    try {
      await mkdir(store, { recursive: true });
      await execFileAsync('skopeo', ['copy', '--quiet', `docker://${reference}`, `oci:${store}:${tag}`], {
        timeout: 300_000,
      });
    } catch (error) {
      const cause =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'skopeo is not installed'
          : String((error as { stderr?: string }).stderr ?? error)
              .trim()
              .split('\n')
              .pop();
      throw new Error(
        `cannot pull image ${JSON.stringify(image)}: ${cause}. Give the image as oci:PATH[:TAG] (an OCI layout) or docker-archive:FILE.tar (docker save), or install skopeo on a machine that reaches the registry`,
        { cause: error },
      );
    }
    return readOciLayout(store, tag);
  }
}
