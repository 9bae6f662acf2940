/**
 * The platform's fault log: every set, clear and injection as one JSON line
 * (`faults.jsonl` in the lab's data dir), appended through one buffered stream so an
 * injection costs the gateway no synchronous write. `readFaultLog` is the pure reader a
 * report uses to hold the injections against what the analyzer found.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FaultEvent } from './fault-table.js';

export interface FaultLog {
  write(event: FaultEvent): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** Appends to `file` (made with its folder when missing). A failed write is reported once, never thrown. */
export function openFaultLog(file: string, log: (line: string) => void = () => undefined): FaultLog {
  mkdirSync(path.dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: 'a' });
  let failed = false;
  stream.on('error', (error) => {
    if (!failed) log(`hivelab: cannot write the fault log ${file}: ${error.message}`);
    failed = true;
  });
  return {
    write(event) {
      if (!failed) stream.write(`${JSON.stringify(event)}\n`);
    },
    close: () => new Promise<void>((resolve) => stream.end(resolve)),
  };
}

/** Pure: the events of a `faults.jsonl` text; lines that are not fault events are skipped. */
export function readFaultLog(text: string): FaultEvent[] {
  const events: FaultEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as Partial<FaultEvent>;
      if (
        (value.event === 'injection' || value.event === 'set' || value.event === 'clear') &&
        typeof value.timeMs === 'number' &&
        typeof value.function === 'string'
      )
        events.push(value as FaultEvent);
    } catch {
      // A line cut short by a crash: the rest of the log still reads.
    }
  }
  return events;
}
