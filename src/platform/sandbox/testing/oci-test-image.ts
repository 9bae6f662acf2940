/**
 * Builds OCI images for tests from files on this machine (no registry): a runtime layer
 * with this Node binary and its shared libraries (from `ldd`), and an app layer with the
 * files a test gives. The runtime layer is made once per Node binary and hard-linked into
 * each layout.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../launch/run-command.js';

const CACHE = path.join(os.tmpdir(), 'hivelab-test-oci');
/** Layers as an image build makes them: root-owned, numeric ids. */
const PORTABLE = ['--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--sort=name'];

/** What the image's config says. */
export interface TestImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The libraries `ldd` names for `binary`, as absolute paths. */
function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs = new Set<string>();
  for (const line of out.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1]) libs.add(match[1]);
  }
  return [...libs];
}

/** The runtime layer (node + libraries): made once per Node binary; its path and digest. */
async function runtimeLayer(): Promise<{ file: string; digest: string }> {
  const node = process.execPath;
  const info = statSync(node);
  const key = createHash('sha1').update(`${node}|${info.size}|${info.mtimeMs}|v2`).digest('hex').slice(0, 16);
  const file = path.join(CACHE, `runtime-${key}.tar`);
  const digestFile = `${file}.sha256`;
  if (existsSync(digestFile)) return { file, digest: readFileSync(digestFile, 'utf8').trim() };
  mkdirSync(CACHE, { recursive: true });
  const scratch = `${file}.${process.pid}`;
  const members = [node, ...sharedLibraries(node)].map((p) => p.replace(/^\/+/, ''));
  await runCommand('tar', ['-cf', scratch, '-C', '/', '--dereference', ...PORTABLE, ...members]);
  const digest = await sha256File(scratch);
  await copyFile(scratch, file);
  await rm(scratch, { force: true });
  writeFileSync(digestFile, digest);
  return { file, digest };
}

async function writeBlob(
  layout: string,
  content: string | Buffer,
): Promise<{ digest: string; size: number }> {
  const hex = createHash('sha256').update(content).digest('hex');
  await writeFile(path.join(layout, 'blobs', 'sha256', hex), content);
  return { digest: `sha256:${hex}`, size: Buffer.byteLength(content) };
}

/**
 * Writes an OCI image layout at `layout` tagged `tag`: Node and its libraries, plus `files`
 * (absolute path in the image → content).
 * @returns the image reference for a spec: `oci:<layout>:<tag>`.
 */
export async function buildNodeTestImage(
  layout: string,
  files: Readonly<Record<string, string>>,
  config: TestImageConfig = {},
  tag = 'test',
): Promise<string> {
  await mkdir(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  const runtime = await runtimeLayer();
  const runtimeBlob = path.join(layout, 'blobs', 'sha256', runtime.digest);
  if (!existsSync(runtimeBlob)) linkSync(runtime.file, runtimeBlob);
  const staging = await mkdtemp(path.join(os.tmpdir(), 'hivelab-test-app-'));
  const appTar = path.join(staging, 'app.tar');
  try {
    const root = path.join(staging, 'root');
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(root, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    const members = Object.keys(files).map((f) => f.replace(/^\/+/, ''));
    await runCommand('tar', ['-cf', appTar, '-C', root, ...PORTABLE, ...members]);
    const app = await writeBlob(layout, readFileSync(appTar));
    const imageConfig = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {
        ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}),
        ...(config.cmd ? { Cmd: config.cmd } : {}),
        Env: config.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        WorkingDir: config.workingDir ?? '/',
      },
      rootfs: { type: 'layers', diff_ids: [`sha256:${runtime.digest}`, app.digest] },
    });
    const configBlob = await writeBlob(layout, imageConfig);
    const layerType = 'application/vnd.oci.image.layer.v1.tar';
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
      layers: [
        { mediaType: layerType, digest: `sha256:${runtime.digest}`, size: statSync(runtime.file).size },
        { mediaType: layerType, ...app },
      ],
    });
    const manifestBlob = await writeBlob(layout, manifest);
    await writeFile(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFile(
      path.join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            ...manifestBlob,
            annotations: { 'org.opencontainers.image.ref.name': tag },
          },
        ],
      }),
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return `oci:${layout}:${tag}`;
}
