/**
 * Image classification as vSwarm's recog does it: decode the JPEG, resize the short side to
 * 256, crop the centre 224×224, normalize with ImageNet's mean and deviation, run the
 * network (onnxruntime-node, CPU) and name the top classes. Decoding and resizing with sharp
 * (libvips), inference with onnxruntime: both ship their native code in their npm packages.
 */
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import type SharpModule from 'sharp';
import { SQUEEZENET_INPUT_SIZE, squeezeNetModel } from './squeezenet.js';

const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;
const RESIZE_SHORT_SIDE = 256;

/** One image's result: class indices and probabilities, best first. */
export interface Classification {
  indices: number[];
  probabilities: number[];
}

export interface Classifier {
  /** Classifies one JPEG (or PNG/WebP) image; `top` classes, best first. */
  classify(image: Uint8Array, top: number): Promise<Classification>;
  release(): Promise<void>;
}

/** Required lazily (createRequire) so the runtime bundle and startup snapshots leave them external. */
const requireHere = createRequire(import.meta.url);

/** Pure: interleaved RGB bytes (HWC) → normalized planar float tensor data (CHW). */
export function toNormalizedChw(rgb: Uint8Array, width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      out[c * plane + i] = ((rgb[i * 3 + c] ?? 0) / 255 - (MEAN[c] ?? 0)) / (STD[c] ?? 1);
    }
  }
  return out;
}

/** Pure: the `top` indices of `scores`, best first (ties: lower index first). */
export function topIndices(scores: ArrayLike<number>, top: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  return order.slice(0, Math.max(0, top));
}

/** Pure: the resize and centre crop that turn a `width`×`height` image into the network input. */
export function cropPlan(
  width: number,
  height: number,
): { resizeWidth: number; resizeHeight: number; left: number; top: number } {
  const scale = RESIZE_SHORT_SIDE / Math.min(width, height);
  const resizeWidth = Math.max(SQUEEZENET_INPUT_SIZE, Math.round(width * scale));
  const resizeHeight = Math.max(SQUEEZENET_INPUT_SIZE, Math.round(height * scale));
  return {
    resizeWidth,
    resizeHeight,
    left: Math.floor((resizeWidth - SQUEEZENET_INPUT_SIZE) / 2),
    top: Math.floor((resizeHeight - SQUEEZENET_INPUT_SIZE) / 2),
  };
}

/** Decodes, resizes and crops one image to the network input tensor data. */
export async function preprocessImage(image: Uint8Array): Promise<Float32Array> {
  const sharp = requireHere('sharp') as typeof SharpModule;
  const decoded = sharp(image);
  const meta = await decoded.metadata();
  if (meta.width === undefined || meta.height === undefined) throw new Error('image has no size');
  const plan = cropPlan(meta.width, meta.height);
  const { data } = await decoded
    .removeAlpha()
    .resize(plan.resizeWidth, plan.resizeHeight, { fit: 'fill' })
    .extract({ left: plan.left, top: plan.top, width: SQUEEZENET_INPUT_SIZE, height: SQUEEZENET_INPUT_SIZE })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toNormalizedChw(data, SQUEEZENET_INPUT_SIZE, SQUEEZENET_INPUT_SIZE);
}

export interface ClassifierOptions {
  /** Seed of the network's weights. @default squeezenet's DEFAULT_MODEL_SEED */
  seed?: number;
  /** onnxruntime intra-op threads. @default 1 (an instance per frame, as vSwarm scales recog) */
  threads?: number;
}

/** Builds the network and an onnxruntime session for it (the function's init phase). */
export async function createClassifier(options: ClassifierOptions = {}): Promise<Classifier> {
  const ort = requireHere('onnxruntime-node') as typeof Ort;
  const session = await ort.InferenceSession.create(squeezeNetModel(options.seed), {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const side = SQUEEZENET_INPUT_SIZE;
  return {
    async classify(image, top) {
      const input = new ort.Tensor('float32', await preprocessImage(image), [1, 3, side, side]);
      const output = await session.run({ image: input });
      const probabilities = output.probabilities?.data as Float32Array | undefined;
      if (probabilities === undefined) throw new Error('model gave no probabilities');
      const indices = topIndices(probabilities, top);
      return { indices, probabilities: indices.map((i) => probabilities[i] ?? 0) };
    },
    release: () => session.release(),
  };
}
