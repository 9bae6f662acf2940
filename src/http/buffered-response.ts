/**
 * A whole response from the streaming parser, for a client that reads each body at once
 * (the invoker): the sink collects the body's slices and hands over status, headers and body
 * when the parser ends the response.
 */
import type { Http1ResponseParser, ParsedHeaders } from './http1-response-parser.js';

export interface BufferedResponse {
  status: number;
  /** Names lower-cased. */
  headers: ParsedHeaders;
  body: Buffer;
  /** The connection cannot carry another request (the server asked to close, or the body ran to its end). */
  close: boolean;
}

/**
 * Expects the response to a request about to be written on the parser's connection; `done`
 * gets it once complete. `bodyless`: the request was HEAD.
 */
export function bufferedResponse(
  parser: Http1ResponseParser,
  bodyless: boolean,
  done: (response: BufferedResponse) => void,
): void {
  let status = 0;
  let headers: ParsedHeaders = {};
  const chunks: Buffer[] = [];
  parser.start(
    {
      head(s, h) {
        status = s;
        headers = h;
      },
      body(chunk) {
        chunks.push(chunk);
      },
      end() {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        done({ status, headers, body, close: !parser.keepAlive });
      },
    },
    bodyless,
  );
}
