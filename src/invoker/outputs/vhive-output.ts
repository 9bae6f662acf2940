/**
 * vHive's invoker output, byte for byte (examples/invoker/client.go):
 * - file `rps<achieved %.2f>_<latf>`: no header, one integer latency in µs per line
 *   (Go's `Duration.Microseconds()`, i.e. truncated), in completion order;
 * - `Issued / completed requests: N, M` and `Real / target RPS: X / Y` (X with two
 *   decimals, Y as Go's `%v` prints the target).
 *
 * Differences, on purpose: the latency is measured from the scheduled send (vHive starts
 * its clock when the ticker fires, so on time this is the same instant; when the invoker
 * falls behind ours still counts the wait), and only successful requests are listed
 * (failures are counted in the summary instead of polluting the percentiles).
 */
import path from 'node:path';
import { latencyFromScheduledUs, type RequestRecord } from '../request-record.js';

/** `rps4.00_lat.csv`; the prefix goes on the file name, not on a directory in `latf`. */
export function vhiveFileName(achievedRps: number, latf: string): string {
  const base = `rps${achievedRps.toFixed(2)}_${path.basename(latf)}`;
  const dir = path.dirname(latf);
  return dir === '.' ? base : path.join(dir, base);
}

/** The file's content: one truncated µs latency per successful request, `\n`-terminated. */
export function formatVhiveLatencies(records: readonly RequestRecord[]): string {
  let out = '';
  for (const record of records) {
    if (record.outcome.ok) out += `${Math.trunc(latencyFromScheduledUs(record))}\n`;
  }
  return out;
}

/** The two lines vHive prints at the end of a run. */
export function vhiveSummaryLines(
  issued: number,
  completed: number,
  achievedRps: number,
  targetRps: number,
): string[] {
  return [
    `Issued / completed requests: ${issued}, ${completed}`,
    `Real / target RPS: ${achievedRps.toFixed(2)} / ${goValue(targetRps)}`,
  ];
}

/** Go's `%v` of a float64: shortest representation, exponent form from 1e21 as Go does. */
function goValue(value: number): string {
  const text = String(value);
  return text.replace(/e\+?(-?)(\d)$/, 'e+$10$2').replace('e+-', 'e-');
}
