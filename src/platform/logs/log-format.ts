/**
 * How `hivelab logs` prints lines, as `kubectl logs` does: the content, after the time with
 * `--timestamps`, and a `[instance]` (or `[instance/container]` for a multi-container pod)
 * prefix when the lines come from several instances. Pure.
 */
import type { LogLine } from './log-store.js';

export interface LineFormat {
  /** Prefix each line with where it came from. */
  prefix: boolean;
  timestamps: boolean;
  /** Containers per instance, to leave the container out of the prefix when there is one. */
  containersOf: (instanceId: string) => number;
}

/** Pure: one line of output, newline included. */
export function formatLogLine(line: LogLine, format: LineFormat): string {
  const where =
    format.containersOf(line.instanceId) > 1 ? `${line.instanceId}/${line.container}` : line.instanceId;
  return `${format.prefix ? `[${where}] ` : ''}${format.timestamps ? `${line.time} ` : ''}${line.content}\n`;
}
