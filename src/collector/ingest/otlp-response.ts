/**
 * The body of an OTLP/HTTP answer: `ExportTraceServiceResponse` as JSON or protobuf, empty
 * on full success and with `partialSuccess` when some spans were rejected. The protobuf
 * form is encoded from the project's `proto/` files through protobufjs.
 */
import path from 'node:path';
import protobuf from 'protobufjs';
import { packageRoot } from '../../package-root.js';
import type { Encoding } from '../metrics.js';

const PROTO_DIR = path.join(packageRoot, 'proto');
const SERVICE_PROTO = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

let responseType: protobuf.Type | undefined;

function exportResponseType(): protobuf.Type {
  if (!responseType) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
    root.loadSync(SERVICE_PROTO, { keepCase: false });
    responseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
  }
  return responseType;
}

/** An OTLP answer body and its content type. */
export interface OtlpResponseBody {
  body: string | Uint8Array;
  contentType: string;
}

/**
 * Encodes the answer to an export: `{}` when nothing was rejected, otherwise
 * `{"partialSuccess":{"rejectedSpans":"N","errorMessage":"…"}}` (int64 as a decimal string,
 * as OTLP JSON requires), or the same message in protobuf.
 */
export function otlpExportResponse(
  encoding: Encoding,
  rejectedSpans: number,
  errorMessage: string,
): OtlpResponseBody {
  const partial = rejectedSpans > 0 ? { rejectedSpans: String(rejectedSpans), errorMessage } : undefined;
  if (encoding === 'json') {
    return {
      body: JSON.stringify(partial ? { partialSuccess: partial } : {}),
      contentType: 'application/json',
    };
  }
  const type = exportResponseType();
  const message = type.fromObject(partial ? { partialSuccess: partial } : {});
  return { body: type.encode(message).finish(), contentType: 'application/x-protobuf' };
}
