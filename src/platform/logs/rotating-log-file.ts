/**
 * One container's log file, bounded as the kubelet bounds them (`containerLogMaxSize`,
 * `containerLogMaxFiles`): once the file would pass `maxFileBytes` it becomes `<file>.1`
 * (older ones shift, the oldest is deleted) and a new file starts. Writes are synchronous,
 * so a reader that reads the files and then subscribes in the same tick misses nothing.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';

export class RotatingLogFile {
  private fd: number | undefined;
  private size = 0;

  /**
   * @param maxFiles files kept, the current one included (1: the file is cut back to empty)
   */
  constructor(
    readonly file: string,
    private readonly maxFileBytes: number,
    private readonly maxFiles: number,
  ) {}

  append(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.fd === undefined) this.open();
    if (this.size > 0 && this.size + bytes > this.maxFileBytes) this.rotate();
    writeSync(this.fd!, text);
    this.size += bytes;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    this.fd = openSync(this.file, 'a');
    this.size = existsSync(this.file) ? statSync(this.file).size : 0;
  }

  private rotate(): void {
    this.close();
    rmSync(rotatedName(this.file, this.maxFiles - 1), { force: true });
    for (let k = this.maxFiles - 2; k >= 1; k--) {
      const from = rotatedName(this.file, k);
      if (existsSync(from)) renameSync(from, rotatedName(this.file, k + 1));
    }
    if (this.maxFiles > 1) renameSync(this.file, rotatedName(this.file, 1));
    else rmSync(this.file, { force: true });
    this.open();
  }
}

/** Pure: `<file>.<k>` (k ≥ 1), or `file` itself for k = 0. */
export function rotatedName(file: string, k: number): string {
  return k === 0 ? file : `${file}.${k}`;
}

/** Pure: a log's files oldest first, as `rotatedName` numbers them (`maxFiles` - 1 … 0). */
export function filesOldestFirst(file: string, maxFiles: number): string[] {
  const files: string[] = [];
  for (let k = Math.max(0, maxFiles - 1); k >= 0; k--) files.push(rotatedName(file, k));
  return files;
}
