/** Where vSwarm's video analytics proto and the shipped reference clip live. */
import path from 'node:path';
import { packageRoot } from '../../package-root.js';

/** Absolute path of `proto/videoservice.proto`. */
export const VIDEOSERVICE_PROTO_PATH: string = path.join(packageRoot, 'proto', 'videoservice.proto');
export const DECODER_SERVICE = 'videoservice.VideoDecoder';
export const RECOGNITION_SERVICE = 'videoservice.ObjectRecognition';

/** vSwarm's reference clip (H.264, 1920×1080, 30 fps, 2 s), shipped in the package. */
export const REFERENCE_VIDEO_PATH: string = path.join(packageRoot, 'assets', 'video-analytics', 'video.mp4');
