/**
 * Pure: one line of an Envoy trace/debug log, in any of the prefixes met in practice:
 *
 * - Envoy ≥ 1.27: `[2024-12-09 11:23:19.592][11970][trace][http] [source/…cc:645] [Tags: "ConnectionId":"0","StreamId":"1"] msg`
 * - Envoy < 1.27: the same with `[C0][S1]` instead of the tags;
 * - Istio's proxy log: `2024-01-04T15:04:30.346845Z\tdebug\tenvoy http external/…cc:1772\t[C8298][S1105] msg\tthread=25`;
 * - either one after a `kubectl logs --timestamps` RFC 3339 prefix.
 *
 * The `file:line` part changes between versions and is never matched on. Timestamps
 * without a zone are read as UTC (Envoy's default `%Y-%m-%d %T.%e` is local time: run
 * the sidecar in UTC, as containers do by default).
 */

/** A parsed log line. */
export interface EnvoyLogLine {
  /** Epoch microseconds. */
  timeUs: number;
  /** The worker thread: events of one connection stay on one thread. */
  thread: string;
  connectionId?: string;
  streamId?: string;
  /** The message, after the prefixes, trailing whitespace removed. */
  message: string;
}

const BRACKET =
  /^\[(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:[.,](\d{1,9}))?\]\[(\d+)\]\[\w+\]\[[^\]]*\] (?:\[[^\]\s]*:\d+\] )?(.*)$/;
const ISTIO = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z\t\w+\t[^\t]*\t(.*)$/;
const KUBECTL_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z (?=\[|\d{4}-)/;
const TAGS = /^\[Tags: ([^\]]*)\] ?/;
const TAG_CONNECTION = /"ConnectionId":"(\d+)"/;
const TAG_STREAM = /"StreamId":"(\d+)"/;
const OLD_IDS = /^\[C(\d+)\](?:\[S(\d+)\])? ?/;
const THREAD_SUFFIX = /\tthread=(\d+)$/;

/** The epoch milliseconds of each `date time` seen, so a busy log parses each second once. */
const secondCache = new Map<string, number>();

function epochUs(date: string, time: string, fraction: string | undefined): number {
  const key = date + time;
  let ms = secondCache.get(key);
  if (ms === undefined) {
    ms = Date.parse(`${date}T${time}Z`);
    if (secondCache.size > 4096) secondCache.clear();
    secondCache.set(key, ms);
  }
  let us = ms * 1000;
  if (fraction !== undefined) us += Number((fraction + '00000').slice(0, 6));
  return us;
}

/** Pure: the line parsed, or `undefined` when it carries no log prefix (a header dump line, garbage). */
export function parseEnvoyLogLine(line: string): EnvoyLogLine | undefined {
  let text = line;
  const first = text.charCodeAt(0);
  if (first !== 91 /* [ */ && (first < 48 || first > 57)) return undefined;
  const kubectl = KUBECTL_PREFIX.exec(text);
  if (kubectl) text = text.slice(kubectl[0].length);
  let timeUs: number;
  let thread: string;
  let rest: string;
  const bracket = BRACKET.exec(text);
  if (bracket) {
    timeUs = epochUs(bracket[1]!, bracket[2]!, bracket[3]);
    thread = bracket[4]!;
    rest = bracket[5]!;
  } else {
    const istio = ISTIO.exec(text);
    if (!istio) return undefined;
    timeUs = epochUs(istio[1]!, istio[2]!, istio[3]);
    rest = istio[4]!;
    const threadMatch = THREAD_SUFFIX.exec(rest);
    thread = threadMatch?.[1] ?? '';
    if (threadMatch) rest = rest.slice(0, threadMatch.index);
  }
  if (!Number.isFinite(timeUs)) return undefined;
  const parsed: EnvoyLogLine = { timeUs, thread, message: '' };
  if (rest.charCodeAt(0) === 91 /* [ */) {
    const tags = TAGS.exec(rest);
    if (tags) {
      const connection = TAG_CONNECTION.exec(tags[1]!);
      const stream = TAG_STREAM.exec(tags[1]!);
      if (connection) parsed.connectionId = connection[1]!;
      if (stream) parsed.streamId = stream[1]!;
      rest = rest.slice(tags[0].length);
    } else {
      const ids = OLD_IDS.exec(rest);
      if (ids) {
        parsed.connectionId = ids[1]!;
        if (ids[2] !== undefined) parsed.streamId = ids[2];
        rest = rest.slice(ids[0].length);
      }
    }
  }
  parsed.message = rest.trimEnd();
  return parsed;
}

/** Pure: one `'key', 'value'` line of a header dump, the key lower-cased; else `undefined`. */
export function parseHeaderDumpLine(line: string): [string, string] | undefined {
  const match = /^'([^']*)', '(.*)'\s*$/.exec(line);
  if (!match) return undefined;
  return [match[1]!.toLowerCase(), match[2]!];
}
