import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cropPlan, toNormalizedChw, topIndices } from './classifier.js';
import { splitJpegStream } from './frame-decoder.js';
import { IMAGENET_LABELS_PATH, parseImagenetLabels } from './labels.js';
import { objectStoreConfig } from './object-store.js';
import { squeezeNetGraph, squeezeNetModel } from './squeezenet.js';

describe('imagenet labels', () => {
  it("parses vSwarm's labels file: 1000 classes in order", () => {
    const labels = parseImagenetLabels(readFileSync(IMAGENET_LABELS_PATH, 'utf8'));
    expect(labels).toHaveLength(1000);
    expect(labels[0]).toBe('tench, Tinca tinca');
    expect(labels[477]).toBe("carpenter's kit, tool kit");
    expect(labels[999]).toBe('toilet tissue, toilet paper, bathroom tissue');
  });
  it('names a bad line and a missing class', () => {
    expect(() => parseImagenetLabels("{0: 'a',\nnot a label\n")).toThrow(/line 2/);
    expect(() => parseImagenetLabels("{0: 'a',\n 2: 'c'}")).toThrow(/class 1 is missing/);
  });
});

describe('classifier arithmetic', () => {
  it('resizes the short side to 256 and crops the centre 224', () => {
    expect(cropPlan(1920, 1080)).toEqual({ resizeWidth: 455, resizeHeight: 256, left: 115, top: 16 });
    expect(cropPlan(100, 200)).toEqual({ resizeWidth: 256, resizeHeight: 512, left: 16, top: 144 });
  });
  it('normalizes HWC bytes to CHW with ImageNet mean and deviation', () => {
    const out = toNormalizedChw(Uint8Array.from([255, 0, 0, 0, 255, 0]), 2, 1);
    expect(out[0]).toBeCloseTo((1 - 0.485) / 0.229);
    expect(out[1]).toBeCloseTo((0 - 0.485) / 0.229);
    expect(out[3]).toBeCloseTo((1 - 0.456) / 0.224);
  });
  it('picks the top classes, best first, ties by index', () => {
    expect(topIndices([0.1, 0.5, 0.2, 0.5], 3)).toEqual([1, 3, 2]);
  });
});

describe('SqueezeNet 1.1 graph', () => {
  it('has the reference parameter count and is deterministic per seed', () => {
    const params = squeezeNetGraph().initializers.reduce((n, init) => n + init.data.length, 0);
    expect(params).toBe(1_235_496); // torchvision squeezenet1_1
    const a = squeezeNetModel(1);
    expect(Buffer.from(squeezeNetModel(1)).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(squeezeNetModel(2)).equals(Buffer.from(a))).toBe(false);
  });
});

describe('JPEG stream', () => {
  it('splits concatenated images at their end markers and refuses garbage', () => {
    const a = Buffer.from([0xff, 0xd8, 1, 0xff, 0x00, 0xff, 0xd9]);
    const b = Buffer.from([0xff, 0xd8, 2, 0xff, 0xd9]);
    expect(splitJpegStream(Buffer.concat([a, b]))).toEqual([a, b]);
    expect(() => splitJpegStream(Buffer.from([1, 2]))).toThrow(/start-of-image/);
    expect(() => splitJpegStream(Buffer.from([0xff, 0xd8, 1]))).toThrow(/no end marker/);
  });
});

describe('object store choice', () => {
  it('uses a local folder unless credentials or an endpoint are set', () => {
    expect(objectStoreConfig({ HIVELAB_OBJECT_STORE_DIR: '/x', AWS_ACCESS_KEY: '' })).toEqual({
      kind: 'directory',
      bucket: 'vhive-video-bench',
      directory: '/x/vhive-video-bench',
    });
    expect(
      objectStoreConfig({
        AWS_ACCESS_KEY: 'k',
        AWS_SECRET_KEY: 's',
        BUCKET_NAME: 'b',
        AWS_REGION: 'eu-west-1',
      }),
    ).toEqual({ kind: 's3', bucket: 'b', region: 'eu-west-1', accessKeyId: 'k', secretAccessKey: 's' });
    expect(objectStoreConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' })).toMatchObject({
      kind: 's3',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-west-1',
    });
  });
});
