/**
 * The CRI container log format the kubelet writes (`/var/log/pods/…/0.log`), one record per
 * line: `<RFC 3339 time, ns> <stdout|stderr> <P|F> <content>`. `P` marks a piece of a line
 * that was split (longer than the split size), `F` the line's last piece. Pure.
 */

export type LogStream = 'stdout' | 'stderr';

export interface CriRecord {
  /** RFC 3339 UTC with 9 fraction digits, e.g. `2026-12-01T23:00:00.123456000Z`. */
  time: string;
  stream: LogStream;
  /** `P`: a piece of a longer line; `F`: a whole line, or the last piece of one. */
  tag: 'P' | 'F';
  content: string;
}

/** Pure: `epochMs` (fractional: sub-ms kept to the µs) as an RFC 3339 time with nanoseconds. */
export function rfc3339Nano(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const iso = new Date(wholeMs).toISOString(); // …T23:00:00.123Z
  const microsBeyondMs = Math.min(999, Math.round((epochMs - wholeMs) * 1000));
  return `${iso.slice(0, -1)}${String(microsBeyondMs).padStart(3, '0')}000Z`;
}

/** Pure: the epoch ms of an RFC 3339 time written by `rfc3339Nano` (or any ISO time). */
export function epochMsOf(time: string): number {
  const match = /^(.*\.\d{3})(\d*)Z$/.exec(time);
  if (!match) return Date.parse(time);
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return Date.parse(`${match[1]}Z`) + Number(fraction) / 1e6;
}

/** Pure: one record as a line of the log file. */
export function formatCriRecord(record: CriRecord): string {
  return `${record.time} ${record.stream} ${record.tag} ${record.content}\n`;
}

/** Pure: a line of a log file as a record, or undefined when it is not one. */
export function parseCriRecord(line: string): CriRecord | undefined {
  const match = /^(\S+) (stdout|stderr) ([PF]) (.*)$/s.exec(line);
  if (!match) return undefined;
  return {
    time: match[1]!,
    stream: match[2] as LogStream,
    tag: match[3] as 'P' | 'F',
    content: match[4]!,
  };
}
