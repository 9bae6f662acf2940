/**
 * Built-in `video-analytics/decoder`, vSwarm's video decoder: gRPC
 * `videoservice.VideoDecoder/Decode` takes a video (inline, or an object-store key with
 * `TRANSFER_TYPE=S3`), decodes its first `DecoderFrames` frames to JPEGs and asks recog
 * (`-addr`, default `recog`) to classify each, one after the other or all at once
 * (`CONCURRENT_RECOG=true`). Answers the classifications, each followed by ",", as vSwarm does.
 */
import { defineFunction } from '../../sdk/index.js';
import { decodeFrames } from './frame-decoder.js';
import { concurrentRecog, containerArgs, decoderFrames, flagValue, transferType } from './function-args.js';
import { maybeTraced } from './maybe-traced.js';
import { nextHop, type NextHop } from './next-hop.js';
import { objectStoreConfig, openObjectStore, type ObjectStore } from './object-store.js';
import { DECODER_SERVICE, RECOGNITION_SERVICE, VIDEOSERVICE_PROTO_PATH } from './video-proto.js';

let recogniseHop: NextHop | undefined;
let store: ObjectStore | undefined;
let framesUploaded = 0;

function args(): string[] {
  return containerArgs(process.env, process.argv.slice(3));
}

const fetchVideo = maybeTraced('Video fetch', (key: string) => {
  if (!store) throw new Error('no object store (TRANSFER_TYPE is not S3)');
  return store.get(key);
});

const decode = maybeTraced('Decode frames', (video: Uint8Array) =>
  decodeFrames(video, decoderFrames(process.env, args())),
);

const uploadFrame = maybeTraced('Upload frame', async (frame: Uint8Array) => {
  if (!store) throw new Error('no object store (TRANSFER_TYPE is not S3)');
  const key = `decoder-frame-${framesUploaded++}.jpg`;
  await store.put(key, frame);
  return key;
});

async function recogniseOne(frame: Uint8Array): Promise<string> {
  recogniseHop ??= nextHop({
    protoPath: VIDEOSERVICE_PROTO_PATH,
    service: RECOGNITION_SERVICE,
    method: 'Recognise',
    addr: flagValue(args(), 'addr') ?? 'recog',
  });
  const request = store ? { s3key: await uploadFrame(frame) } : { frame };
  const reply = await recogniseHop.call(request);
  return typeof reply.classification === 'string' ? reply.classification : '';
}

const recogniseAll = maybeTraced('Recognise all frames', async (frames: Uint8Array[]) => {
  const results: string[] = [];
  if (concurrentRecog(process.env)) results.push(...(await Promise.all(frames.map(recogniseOne))));
  else for (const frame of frames) results.push(await recogniseOne(frame));
  return results.map((r) => `${r},`).join('');
});

async function decodeMethod(request: Record<string, unknown>): Promise<Record<string, unknown>> {
  let video = request.video instanceof Uint8Array ? request.video : new Uint8Array();
  if (transferType(process.env) === 'S3') {
    const key = typeof request.s3key === 'string' ? request.s3key : '';
    if (key === '') throw new Error('Decode: TRANSFER_TYPE is S3 but the request has no s3key');
    video = await fetchVideo(key);
  }
  if (video.length === 0) throw new Error('Decode: the request has no video');
  const frames = await decode(video);
  return { classification: await recogniseAll(frames) };
}

const decoder = defineFunction({
  init() {
    decoderFrames(process.env, args());
    if (transferType(process.env) === 'S3') store = openObjectStore(objectStoreConfig(process.env));
  },
  grpc: [{ protoPath: VIDEOSERVICE_PROTO_PATH, service: DECODER_SERVICE, methods: { Decode: decodeMethod } }],
});

export default decoder;
