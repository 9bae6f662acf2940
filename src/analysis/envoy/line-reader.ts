/**
 * Streams a file as batches of lines (one batch per read chunk), without the newline and
 * a trailing `\r`. The benchmark's bare limit is this same reader with nothing done per line.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Bytes per read. @default 1 MiB */
export const READ_CHUNK_BYTES = 1 << 20;

/** Yields the lines of `file` in batches; the last line counts even without a final newline. */
export async function* readLineBatches(
  file: string,
  chunkBytes = READ_CHUNK_BYTES,
): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of createReadStream(file, { highWaterMark: chunkBytes })) {
    const text = carry + decoder.write(chunk as Buffer);
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      lines.push(text.slice(start, end));
      start = newline + 1;
    }
    carry = text.slice(start);
    if (lines.length > 0) yield lines;
  }
  const rest = carry + decoder.end();
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}
