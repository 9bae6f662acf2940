/**
 * SqueezeNet 1.1 (Iandola et al. 2016; torchvision's `squeezenet1_1`, the model vSwarm's
 * recog runs) as an ONNX graph with seeded He-normal weights. No npm package ships
 * pretrained ImageNet weights that install offline, so the network has the real shape and
 * compute cost (~0.35 GFLOPs per 224×224 frame, 1.24 M parameters) but its labels are not
 * meaningful. Pure: the same seed gives the same model bytes.
 */
import { encodeOnnxModel, type OnnxGraph, type OnnxInitializer, type OnnxNode } from './onnx-model.js';

/** Input side length and class count. */
export const SQUEEZENET_INPUT_SIZE = 224;
export const SQUEEZENET_CLASSES = 1000;
/** The weights' seed when the caller gives none. */
export const DEFAULT_MODEL_SEED = 20_211;

/** mulberry32: a small, fast, seeded 32-bit PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private readonly random: () => number;
  private count = 0;

  constructor(seed: number) {
    this.random = prng(seed);
  }

  /** A normal sample (Box-Muller). */
  private gaussian(): number {
    const u = 1 - this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  /** Conv + ReLU with He-normal weights and zero bias; returns the output name. */
  conv(input: string, inChannels: number, outChannels: number, kernel: number, stride = 1): string {
    const id = this.count++;
    const fanIn = inChannels * kernel * kernel;
    const weights = new Float32Array(outChannels * fanIn);
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < weights.length; i++) weights[i] = this.gaussian() * std;
    const w = `conv${id}.weight`;
    const b = `conv${id}.bias`;
    this.initializers.push({ name: w, dims: [outChannels, inChannels, kernel, kernel], data: weights });
    this.initializers.push({ name: b, dims: [outChannels], data: new Float32Array(outChannels) });
    const pad = (kernel - 1) / 2;
    const conv = `conv${id}`;
    this.nodes.push({
      op: 'Conv',
      inputs: [input, w, b],
      outputs: [conv],
      attributes: { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] },
    });
    const relu = `relu${id}`;
    this.nodes.push({ op: 'Relu', inputs: [conv], outputs: [relu] });
    return relu;
  }

  maxPool(input: string): string {
    const out = `pool${this.count++}`;
    this.nodes.push({
      op: 'MaxPool',
      inputs: [input],
      outputs: [out],
      attributes: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 },
    });
    return out;
  }

  /** SqueezeNet's fire module: squeeze 1×1, then expand 1×1 and 3×3 side by side. */
  fire(input: string, inChannels: number, squeeze: number, expand: number): string {
    const s = this.conv(input, inChannels, squeeze, 1);
    const e1 = this.conv(s, squeeze, expand, 1);
    const e3 = this.conv(s, squeeze, expand, 3);
    const out = `fire${this.count++}`;
    this.nodes.push({ op: 'Concat', inputs: [e1, e3], outputs: [out], attributes: { axis: 1 } });
    return out;
  }
}

/** Pure: the SqueezeNet 1.1 graph, input `image` [N,3,224,224], output `probabilities` [N,1000]. */
export function squeezeNetGraph(seed = DEFAULT_MODEL_SEED): OnnxGraph {
  const g = new GraphBuilder(seed);
  let x = g.conv('image', 3, 64, 3, 2);
  x = g.maxPool(x);
  x = g.fire(x, 64, 16, 64);
  x = g.fire(x, 128, 16, 64);
  x = g.maxPool(x);
  x = g.fire(x, 128, 32, 128);
  x = g.fire(x, 256, 32, 128);
  x = g.maxPool(x);
  x = g.fire(x, 256, 48, 192);
  x = g.fire(x, 384, 48, 192);
  x = g.fire(x, 384, 64, 256);
  x = g.fire(x, 512, 64, 256);
  x = g.conv(x, 512, SQUEEZENET_CLASSES, 1);
  g.nodes.push({ op: 'GlobalAveragePool', inputs: [x], outputs: ['pooled'] });
  g.nodes.push({ op: 'Flatten', inputs: ['pooled'], outputs: ['logits'], attributes: { axis: 1 } });
  g.nodes.push({ op: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], attributes: { axis: 1 } });
  return {
    name: 'squeezenet1_1',
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [{ name: 'image', shape: ['N', 3, SQUEEZENET_INPUT_SIZE, SQUEEZENET_INPUT_SIZE] }],
    outputs: [{ name: 'probabilities', shape: ['N', SQUEEZENET_CLASSES] }],
  };
}

/** Pure: the serialised ONNX model. */
export function squeezeNetModel(seed = DEFAULT_MODEL_SEED): Uint8Array {
  return encodeOnnxModel(squeezeNetGraph(seed));
}
