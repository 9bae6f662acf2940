/**
 * Test support: writes Envoy log lines in each prefix met in practice (Envoy ≥ 1.27 tags,
 * Envoy < 1.27 `[C][S]`, Istio's proxy log) from one description, so a scenario is written
 * once and checked in every format.
 */

/** One log event of a scenario. */
export interface LogEvent {
  /** Microseconds after the scenario's base time. */
  atUs: number;
  thread?: string;
  connection?: string;
  stream?: string;
  message: string;
  /** A header dump that follows the message (`'key', 'value'` lines, then an empty line). */
  headers?: ReadonlyArray<readonly [string, string]>;
}

/** The prefixes. */
export type LogFormat = 'tags' | 'old' | 'istio';

/** 2024-12-09T11:23:19Z, the day of the real excerpt. */
export const BASE_EPOCH_US = Date.UTC(2024, 11, 9, 11, 23, 19) * 1000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function clock(epochUs: number): { date: string; time: string; us: number } {
  const date = new Date(Math.floor(epochUs / 1000));
  return {
    date: `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`,
    time: `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`,
    us: epochUs % 1_000_000,
  };
}

function ids(format: LogFormat, event: LogEvent): string {
  if (event.connection === undefined) return '';
  if (format === 'tags') {
    const stream = event.stream === undefined ? '' : `,"StreamId":"${event.stream}"`;
    return `[Tags: "ConnectionId":"${event.connection}"${stream}] `;
  }
  return `[C${event.connection}]${event.stream === undefined ? '' : `[S${event.stream}]`} `;
}

/** The lines of `events` in `format` (Envoy's own prefixes print milliseconds). */
export function writeEnvoyLog(
  events: readonly LogEvent[],
  format: LogFormat,
  baseUs = BASE_EPOCH_US,
): string[] {
  const lines: string[] = [];
  for (const event of events) {
    const { date, time, us } = clock(baseUs + event.atUs);
    const thread = event.thread ?? '11970';
    const dump = (event.headers ?? []).map(([key, value]) => `'${key}', '${value}'`);
    if (format === 'istio') {
      lines.push(
        `${date}T${time}.${pad(us, 6)}Z\tdebug\tenvoy http external/envoy/source/common/http/x.cc:1\t${ids(format, event)}${event.message}` +
          (event.headers ? '' : `\tthread=${thread}`),
      );
      if (event.headers) lines.push(...dump, `\tthread=${thread}`);
      continue;
    }
    const prefix = `[${date} ${time}.${pad(Math.floor(us / 1000), 3)}][${thread}][debug][http] [source/common/http/x.cc:1] `;
    lines.push(prefix + ids(format, event) + event.message);
    if (event.headers) lines.push(...dump, '');
  }
  return lines;
}
