/** Keeps the last lines a process wrote (for crash messages) without keeping everything. */
export class LineTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly keep = 20) {}

  /** Feeds a chunk; calls `onLine` for each complete line. */
  push(chunk: string, onLine?: (line: string) => void): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const raw of parts) {
      const line = raw.replace(/\r$/, '');
      onLine?.(line);
      if (line.trim() === '') continue;
      this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
    }
  }

  /** The last non-empty line, including an unterminated one. */
  last(): string | undefined {
    return this.partial.trim() !== '' ? this.partial : this.lines[this.lines.length - 1];
  }

  all(): string[] {
    return this.partial.trim() !== '' ? [...this.lines, this.partial] : [...this.lines];
  }
}
