/**
 * A one-line progress bar, only on a terminal and not under CI (conventions: colour and
 * progress only when the stream is a TTY). Redraws at most every 200 ms.
 */
import type { WriteStream } from 'node:tty';

export interface Progress {
  update(done: number, total: number): void;
  end(): void;
}

export function createProgress(stream: NodeJS.WriteStream | WriteStream, label: string): Progress {
  const active = stream.isTTY === true && !process.env.CI;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total) {
      if (!active) return;
      const now = performance.now();
      if (now - lastDraw < 200 && done < total) return;
      lastDraw = now;
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      drawn = true;
    },
    end() {
      if (active && drawn) stream.write('\n');
    },
  };
}
