/**
 * Where `TRANSFER_TYPE=S3` puts videos and frames, in an S3-compatible store through
 * `@aws-sdk/client-s3` with vHive's variable names (`AWS_ACCESS_KEY`, `AWS_SECRET_KEY`,
 * `AWS_REGION`, `BUCKET_NAME`, plus `AWS_ENDPOINT_URL` for MinIO and the like), or, by
 * default, a local directory that every instance on the machine shares.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as S3Module from '@aws-sdk/client-s3';

/** A bucket of named objects. */
export interface ObjectStore {
  /** Where it stores, for logs and reports: `s3://bucket` or `file:///dir`. */
  readonly location: string;
  put(key: string, body: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
}

/** vSwarm's bucket when `BUCKET_NAME` is not set. */
export const DEFAULT_BUCKET = 'vhive-video-bench';

/** What the store choice reads from the environment. */
export interface ObjectStoreConfig {
  kind: 's3' | 'directory';
  bucket: string;
  /** `kind: 'directory'`: the bucket's folder. */
  directory?: string;
  region?: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

const KEY_PATTERN = /^[A-Za-z0-9._-][A-Za-z0-9._/-]*$/;

/**
 * Pure: S3 when credentials (`AWS_ACCESS_KEY`) or an endpoint (`AWS_ENDPOINT_URL`) are set,
 * else the folder `HIVELAB_OBJECT_STORE_DIR` (default `<tmp>/hivelab-object-store`)/`<bucket>`.
 */
export function objectStoreConfig(env: Record<string, string | undefined>): ObjectStoreConfig {
  const bucket = env.BUCKET_NAME?.trim() || DEFAULT_BUCKET;
  const accessKeyId = env.AWS_ACCESS_KEY?.trim() || undefined;
  const endpoint = env.AWS_ENDPOINT_URL?.trim() || undefined;
  if (accessKeyId !== undefined || endpoint !== undefined) {
    return {
      kind: 's3',
      bucket,
      region: env.AWS_REGION?.trim() || 'us-west-1',
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...(accessKeyId !== undefined ? { accessKeyId } : {}),
      ...(env.AWS_SECRET_KEY?.trim() ? { secretAccessKey: env.AWS_SECRET_KEY.trim() } : {}),
    };
  }
  const root = env.HIVELAB_OBJECT_STORE_DIR?.trim() || path.join(tmpdir(), 'hivelab-object-store');
  return { kind: 'directory', bucket, directory: path.join(root, bucket) };
}

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.split('/').includes('..')) {
    throw new Error(
      `object key: expected letters, digits, ".", "_", "-" and "/", got ${JSON.stringify(key)}`,
    );
  }
}

function directoryStore(directory: string): ObjectStore {
  return {
    location: `file://${directory}`,
    async put(key, body) {
      checkKey(key);
      const file = path.join(directory, key);
      await mkdir(path.dirname(file), { recursive: true });
      // Write then rename would be atomic; a reader only asks after the writer's call returned.
      await writeFile(file, body);
    },
    async get(key) {
      checkKey(key);
      return readFile(path.join(directory, key));
    },
  };
}

function s3Store(config: ObjectStoreConfig): ObjectStore {
  const s3 = createRequire(import.meta.url)('@aws-sdk/client-s3') as typeof S3Module;
  const client = new s3.S3Client({
    region: config.region ?? 'us-west-1',
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    ...(config.accessKeyId !== undefined
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey ?? '' } }
      : {}),
  });
  const bucket = config.bucket;
  return {
    location: `s3://${bucket}`,
    async put(key, body) {
      checkKey(key);
      await client.send(new s3.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async get(key) {
      checkKey(key);
      const answer = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: key }));
      if (answer.Body === undefined) throw new Error(`s3://${bucket}/${key}: empty answer`);
      return Buffer.from(await answer.Body.transformToByteArray());
    },
  };
}

/** The store `config` describes. */
export function openObjectStore(config: ObjectStoreConfig): ObjectStore {
  return config.kind === 's3' ? s3Store(config) : directoryStore(config.directory ?? tmpdir());
}
