/**
 * The gateway's own stage breakdown of one request, as Envoy's trace log gives a sidecar's
 * (seed 003): annotations `stage:<name>` on the gateway's SERVER span, in time order. Pure.
 *
 *   stage:head_parsed        the request head was parsed (the handler ran)
 *   stage:routed             the function was found
 *   stage:admitted           a slot on an instance was leased (activator / queue)
 *   stage:connection_new     the upstream connection (HTTP/1.1) or session (h2c) was opened,
 *   stage:connection_reused    or an open one taken
 *   stage:request_written    the request (head and body) was handed to the upstream socket
 *   stage:first_byte         the instance's first response bytes arrived
 *   stage:response_written   the response was handed to the client's socket
 *
 * A stage not reached (a 404, a request failed in the buffer) has no annotation.
 */
import type { Annotation } from '../../spans/index.js';
import type { ExchangeRecord } from './exchange-record.js';

/** `performance.now()` ms of the stages the gateway itself marks; 0 = not reached. */
export interface GatewayStageTimes {
  headParsedAt: number;
  routedAt: number;
  admittedAt: number;
  /** When the gateway answered by itself (an error), its answer was written then. */
  answeredAt: number;
}

/** Pure: the stage annotations, epoch µs, sorted by time (ties keep request order). */
export function stageAnnotations(
  gateway: GatewayStageTimes,
  exchange: ExchangeRecord,
  timeOriginMs: number,
): Annotation[] {
  const marks: [number, string][] = [
    [gateway.headParsedAt, 'stage:head_parsed'],
    [gateway.routedAt, 'stage:routed'],
    [gateway.admittedAt, 'stage:admitted'],
    [exchange.connectionAt, `stage:connection_${exchange.connection ?? 'new'}`],
    [exchange.requestWrittenAt, 'stage:request_written'],
    [exchange.firstByteAt, 'stage:first_byte'],
    [exchange.responseWrittenAt || gateway.answeredAt, 'stage:response_written'],
  ];
  const annotations: Annotation[] = [];
  for (const [at, value] of marks) {
    if (at > 0) annotations.push({ timestamp: Math.round((timeOriginMs + at) * 1000), value });
  }
  // Stable: stages stamped in the same microsecond keep their request order.
  return annotations.sort((a, b) => a.timestamp - b.timestamp);
}
