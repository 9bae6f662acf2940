/**
 * `--forward otlp=http://tempo:4318` / `--forward zipkin=http://zipkin:9411`: where a
 * collector also sends what it accepted. A URL without a path gets the protocol's usual
 * one (`/v1/traces`, `/api/v2/spans`).
 */

/** The wire formats a collector forwards in. */
export type ForwardProtocol = 'otlp' | 'zipkin';

/** One backend to forward to. */
export interface ForwardTarget {
  protocol: ForwardProtocol;
  /** The full endpoint, e.g. `http://tempo:4318/v1/traces`. */
  url: string;
}

const DEFAULT_PATH: Record<ForwardProtocol, string> = { otlp: '/v1/traces', zipkin: '/api/v2/spans' };

/** Parses one `--forward` value; throws an `Error` naming the expected form. */
export function parseForwardTarget(value: string): ForwardTarget {
  const match = /^(otlp|zipkin)=(.+)$/.exec(value);
  const form = 'otlp=http://host:4318 or zipkin=http://host:9411';
  if (match === null) throw new Error(`--forward must be ${form}, got ${JSON.stringify(value)}`);
  const protocol = match[1] as ForwardProtocol;
  let url: URL;
  try {
    url = new URL(match[2]!);
  } catch {
    throw new Error(`--forward ${protocol}= needs an http(s) URL (${form}), got ${JSON.stringify(match[2])}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--forward ${protocol}= needs an http(s) URL (${form}), got ${JSON.stringify(match[2])}`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = DEFAULT_PATH[protocol];
  return { protocol, url: url.toString() };
}
