/**
 * Video → JPEG frames, as vSwarm's decoder does with OpenCV (`VideoCapture.read` then
 * `imencode('.jpg')`): here the ffmpeg binary that `@ffmpeg-installer/ffmpeg` ships decodes
 * the first N frames and encodes each as a JPEG. MP4 needs a seekable input (the index may
 * sit at the end), so the bytes go to a temporary file first, as vSwarm's decoder does too.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const requireHere = createRequire(import.meta.url);

/** Absolute path of the packaged ffmpeg executable. */
export function ffmpegPath(): string {
  return (requireHere('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

/**
 * Pure: splits concatenated JPEG images (ffmpeg's `image2pipe` of `mjpeg`) into one buffer
 * each. Inside a JPEG's entropy-coded data 0xFF is always followed by 0x00 or a restart
 * marker, so the end-of-image marker FFD9 only occurs at an image's end.
 */
export function splitJpegStream(stream: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = 0;
  while (start < stream.length) {
    if (stream[start] !== 0xff || stream[start + 1] !== 0xd8) {
      throw new Error(`JPEG stream: expected a start-of-image marker at byte ${start}`);
    }
    const end = stream.indexOf(EOI, start + 2);
    if (end === -1) throw new Error(`JPEG stream: image at byte ${start} has no end marker`);
    frames.push(stream.subarray(start, end + 2));
    start = end + 2;
  }
  return frames;
}
const EOI = Buffer.from([0xff, 0xd9]);

export interface DecodeOptions {
  /** JPEG quality, ffmpeg's `-q:v` (2 best … 31). @default 3 */
  quality?: number;
  /** @default the packaged ffmpeg */
  ffmpeg?: string;
}

/** Decodes the first `frames` frames of `video` (any container ffmpeg reads) to JPEGs. */
export async function decodeFrames(
  video: Uint8Array,
  frames: number,
  options: DecodeOptions = {},
): Promise<Buffer[]> {
  if (!Number.isInteger(frames) || frames < 1)
    throw new Error(`frames: expected a positive integer, got ${frames}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'hivelab-decoder-'));
  const input = path.join(dir, 'video');
  try {
    await writeFile(input, video);
    const args = ['-v', 'error', '-nostdin', '-i', input, '-frames:v', String(frames)];
    args.push('-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', String(options.quality ?? 3), 'pipe:1');
    const output = await run(options.ffmpeg ?? ffmpegPath(), args);
    return splitJpegStream(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(executable: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new Error(`ffmpeg exited with ${code}: ${Buffer.concat(err).toString().trim().slice(0, 500)}`),
        );
    });
  });
}
