/**
 * Built-in `video-analytics/streaming`, vSwarm's video streaming function, the chain's
 * entry: gRPC `helloworld.Greeter/SayHello` (so `hivelab invoke` and vSwarm's test client
 * drive it) sends the reference clip (or `-video FILE`) to the decoder (`-addr`, default
 * `decoder`), inline or, with `TRANSFER_TYPE=S3`, as the object `streaming-video.mp4`, and
 * answers the decoder's classifications as the greeting's `message`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineFunction } from '../../sdk/index.js';
import { GREETER_SERVICE, HELLOWORLD_PROTO_PATH } from '../helloworld-proto.js';
import { containerArgs, flagValue, transferType } from './function-args.js';
import { maybeTraced } from './maybe-traced.js';
import { nextHop, type NextHop } from './next-hop.js';
import { objectStoreConfig, openObjectStore, type ObjectStore } from './object-store.js';
import { DECODER_SERVICE, REFERENCE_VIDEO_PATH, VIDEOSERVICE_PROTO_PATH } from './video-proto.js';

/** vSwarm's object key for the uploaded video. */
const VIDEO_KEY = 'streaming-video.mp4';

let video: Buffer = Buffer.alloc(0);
let store: ObjectStore | undefined;
let decodeHop: NextHop | undefined;

const uploadVideo = maybeTraced('Video upload', async () => {
  if (!store) throw new Error('no object store (TRANSFER_TYPE is not S3)');
  await store.put(VIDEO_KEY, video);
});

async function sayHello(): Promise<Record<string, unknown>> {
  const args = containerArgs(process.env, process.argv.slice(3));
  decodeHop ??= nextHop({
    protoPath: VIDEOSERVICE_PROTO_PATH,
    service: DECODER_SERVICE,
    method: 'Decode',
    addr: flagValue(args, 'addr') ?? 'decoder',
  });
  let request: Record<string, unknown> = { video };
  if (store) {
    await uploadVideo();
    request = { s3key: VIDEO_KEY };
  }
  const reply = await decodeHop.call(request);
  return { message: typeof reply.classification === 'string' ? reply.classification : '' };
}

const streaming = defineFunction({
  init() {
    const args = containerArgs(process.env, process.argv.slice(3));
    const file = flagValue(args, 'video');
    video = readFileSync(file === undefined ? REFERENCE_VIDEO_PATH : path.resolve(file));
    if (transferType(process.env) === 'S3') store = openObjectStore(objectStoreConfig(process.env));
  },
  grpc: [{ protoPath: HELLOWORLD_PROTO_PATH, service: GREETER_SERVICE, methods: { SayHello: sayHello } }],
});

export default streaming;
