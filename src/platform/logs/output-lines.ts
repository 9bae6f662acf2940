/**
 * Cuts an output stream into lines for the log: UTF-8 kept whole across chunks, `\r\n`
 * taken as `\n`, and a line longer than `maxLineChars` split into `P` pieces as the
 * kubelet's CRI log does (at 16 KiB), so one endless line cannot hold everything in memory.
 */
import { StringDecoder } from 'node:string_decoder';

export interface LinePiece {
  content: string;
  /** True for a line's last piece (`F`), false for a piece of a longer line (`P`). */
  whole: boolean;
}

/** The kubelet's split size. */
export const MAX_LINE_CHARS = 16 * 1024;

export class OutputLines {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {}

  /** Feeds a chunk; returns the pieces it completed. */
  push(chunk: Buffer): LinePiece[] {
    const pieces: LinePiece[] = [];
    const parts = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) pieces.push({ content: part.replace(/\r$/, ''), whole: true });
    while (this.partial.length >= this.maxLineChars) {
      pieces.push({ content: this.partial.slice(0, this.maxLineChars), whole: false });
      this.partial = this.partial.slice(this.maxLineChars);
    }
    return pieces;
  }

  /** The unterminated rest, as a last whole line (the stream ended), if any. */
  flush(): LinePiece[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest === '' ? [] : [{ content: rest, whole: true }];
  }
}
