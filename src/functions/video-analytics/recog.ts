/**
 * Built-in `video-analytics/recog`, vSwarm's object recognition: gRPC
 * `videoservice.ObjectRecognition/Recognise` takes a JPEG frame (inline, or an object-store
 * key with `TRANSFER_TYPE=S3`), runs SqueezeNet 1.1 on it and answers the top classes'
 * ImageNet labels, comma-separated (`RECOG_TOP`, default 5; vSwarm answers 100). The
 * network has seeded, not pretrained, weights: real compute, labels not meaningful.
 */
import { defineFunction } from '../../sdk/index.js';
import { createClassifier, type Classifier } from './classifier.js';
import { transferType } from './function-args.js';
import { loadImagenetLabels } from './labels.js';
import { maybeTraced } from './maybe-traced.js';
import { objectStoreConfig, openObjectStore, type ObjectStore } from './object-store.js';
import { RECOGNITION_SERVICE, VIDEOSERVICE_PROTO_PATH } from './video-proto.js';

let classifier: Classifier | undefined;
let labels: string[] = [];
let store: ObjectStore | undefined;

function topCount(): number {
  const n = Number(process.env.RECOG_TOP ?? 5);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 5;
}

const fetchFrame = maybeTraced('Frame fetch', (key: string) => {
  if (!store) throw new Error('no object store (TRANSFER_TYPE is not S3)');
  return store.get(key);
});

const infer = maybeTraced('infer', async (frame: Uint8Array) => {
  if (!classifier) throw new Error('recog is not initialised');
  const result = await classifier.classify(frame, topCount());
  return result.indices.map((i) => labels[i] ?? `class ${i}`).join(',');
});

async function recognise(request: Record<string, unknown>): Promise<Record<string, unknown>> {
  const key = typeof request.s3key === 'string' ? request.s3key : '';
  let frame = request.frame instanceof Uint8Array ? request.frame : new Uint8Array();
  if (transferType(process.env) === 'S3') {
    if (key === '') throw new Error('Recognise: TRANSFER_TYPE is S3 but the request has no s3key');
    frame = await fetchFrame(key);
  }
  if (frame.length === 0) throw new Error('Recognise: the request has no frame');
  return { classification: await infer(frame) };
}

const recog = defineFunction({
  async init() {
    labels = loadImagenetLabels();
    classifier = await createClassifier();
    if (transferType(process.env) === 'S3') store = openObjectStore(objectStoreConfig(process.env));
  },
  grpc: [
    { protoPath: VIDEOSERVICE_PROTO_PATH, service: RECOGNITION_SERVICE, methods: { Recognise: recognise } },
  ],
});

export default recog;
