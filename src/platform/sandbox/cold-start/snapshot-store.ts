/**
 * V8 startup snapshots of initialised functions (the `snapshot` cold-start mode).
 * Node's `--build-snapshot` takes one CommonJS script that may only require built-ins at
 * build time, so the function module and the runner's snapshot entry are bundled into one
 * file with esbuild (grpc stays external and is required on restore). Blobs are keyed by
 * the Node binary (version, arch, path) and the bundle's content: a blob made by another
 * Node binary, or of older code, is never used, a fresh one is built instead.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { snapshotMainPath } from '../../runtime/index.js';
import { LineTail } from '../launch/stderr-tail.js';
import { meaningfulLine } from '../launch/exit-reason.js';

/** Rewrites `import.meta.url` to each file's own URL: a CJS bundle has no import.meta. */
const importMetaUrlPlugin: Plugin = {
  name: 'hivelab-import-meta-url',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.(m?js|cjs)$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const contents = source
        .replace(/import\.meta\.url/g, url)
        .replace(/import\.meta\.dirname/g, JSON.stringify(path.dirname(args.path)))
        .replace(/import\.meta\.filename/g, JSON.stringify(args.path));
      return { contents, loader: 'js' };
    });
  },
};

/**
 * Node 20 cannot load `http`, `https` or `http2` while building a snapshot (their native
 * parser handles are not serialisable), yet function code imports them at the top level
 * (e.g. the SDK's `call()`). Each import of them becomes a stand-in whose properties load
 * the real module on first use, which is after the restore.
 */
const LAZY_BUILTINS = /^(node:)?(http|https|http2)$/;

async function lazyBuiltinsPlugin(): Promise<Plugin> {
  const names: Record<string, string[]> = {};
  for (const name of ['http', 'https', 'http2']) {
    names[name] = Object.keys((await import(/* @vite-ignore */ `node:${name}`)) as object).filter(
      (k) => k !== 'default',
    );
  }
  return {
    name: 'hivelab-lazy-builtins',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: LAZY_BUILTINS }, (args) => ({
        path: args.path.replace(/^node:/, ''),
        namespace: 'hivelab-lazy-builtin',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'hivelab-lazy-builtin' }, (args) => ({
        loader: 'js',
        contents: `const names = ${JSON.stringify(names[args.path] ?? [])};
let real;
const load = () => (real ??= require(${JSON.stringify(`node:${args.path}`)}));
module.exports = new Proxy({}, {
  get: (_t, key) => (key === '__esModule' ? undefined : load()[key]),
  has: (_t, key) => names.includes(key),
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_t, key) =>
    names.includes(key) ? { configurable: true, enumerable: true, writable: true, value: undefined } : undefined,
});`,
      }));
    },
  };
}

/** Pure: the blob key for a bundle on this Node binary. */
export function snapshotKey(
  bundle: string,
  node: { version: string; arch: string; execPath: string },
): string {
  return createHash('sha256')
    .update(`${node.version}\0${node.arch}\0${node.execPath}\0`)
    .update(bundle)
    .digest('hex')
    .slice(0, 20);
}

/** Bundles the function module with the snapshot entry into one CJS script. */
export async function bundleForSnapshot(handlerModule: string): Promise<string> {
  const entry = [
    `import mod from ${JSON.stringify(handlerModule)};`,
    `import { prepareSnapshot } from ${JSON.stringify(snapshotMainPath())};`,
    `prepareSnapshot(mod, ${JSON.stringify(handlerModule)});`,
  ].join('\n');
  const result = await build({
    stdin: {
      contents: entry,
      resolveDir: path.dirname(handlerModule),
      loader: 'js',
      sourcefile: 'snapshot-entry.js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0] ?? '20'}`,
    write: false,
    external: ['@grpc/grpc-js', '@grpc/proto-loader'],
    plugins: [importMetaUrlPlugin, await lazyBuiltinsPlugin()],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no bundle');
  return output.text;
}

export class SnapshotStore {
  /** handler module → ready blob path. */
  private readonly ready = new Map<string, string>();
  private readonly building = new Map<string, Promise<string>>();

  constructor(
    private readonly stateDir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The blob to restore `handlerModule` from, if one was built for this Node binary. */
  blobFor(handlerModule: string): string | undefined {
    const blob = this.ready.get(handlerModule);
    return blob !== undefined && existsSync(blob) ? blob : undefined;
  }

  /** Stops using the blob of `handlerModule` (an instance restored from it never got ready). */
  forget(handlerModule: string): void {
    this.ready.delete(handlerModule);
  }

  /** Resolves when a build of `handlerModule` finishes (undefined if none ran or it failed). */
  async whenBuilt(handlerModule: string): Promise<string | undefined> {
    return this.building.get(handlerModule)?.catch(() => undefined) ?? this.blobFor(handlerModule);
  }

  /** Resolves when no build is running: a driver closing waits, so none writes into a removed state dir. */
  async settled(): Promise<void> {
    await Promise.all([...this.building.values()].map((job) => job.catch(() => undefined)));
  }

  /** Builds (once, in the background) the blob of `handlerModule`. */
  buildInBackground(handlerModule: string, cwd: string, env: Record<string, string>): void {
    if (this.building.has(handlerModule) || this.blobFor(handlerModule)) return;
    const job = this.build(handlerModule, cwd, env);
    this.building.set(handlerModule, job);
    job.then(
      (blob) => {
        this.ready.set(handlerModule, blob);
        this.building.delete(handlerModule);
      },
      (error: unknown) => {
        this.building.delete(handlerModule);
        this.log(
          `snapshot of ${handlerModule} failed, instances keep booting: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
  }

  private async build(handlerModule: string, cwd: string, env: Record<string, string>): Promise<string> {
    const bundle = await bundleForSnapshot(handlerModule);
    const key = snapshotKey(bundle, process);
    const base = path
      .basename(handlerModule)
      .replace(/\.[^.]+$/, '')
      .replace(/[^A-Za-z0-9_-]/g, '_');
    mkdirSync(this.stateDir, { recursive: true });
    const blob = path.join(this.stateDir, `${base}-${key}.blob`);
    if (existsSync(blob)) return blob;
    const script = path.join(this.stateDir, `${base}-${key}.cjs`);
    writeFileSync(script, bundle);
    const partial = `${blob}.${process.pid}.partial`;
    const stderr = new LineTail();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--snapshot-blob', partial, '--build-snapshot', script], {
        cwd,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => stderr.push(chunk));
      child.once('error', reject);
      child.once('close', resolve);
    });
    rmSync(script, { force: true });
    if (code !== 0 || !existsSync(partial)) {
      rmSync(partial, { force: true });
      throw new Error(
        `node --build-snapshot exited with ${code}: ${meaningfulLine(stderr.all()) ?? 'no output'}`,
      );
    }
    renameSync(partial, blob);
    this.log(`snapshot of ${handlerModule} ready: ${blob}`);
    return blob;
  }
}
