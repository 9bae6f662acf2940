/**
 * The protobuf message types of Zipkin proto3 and OTLP, loaded once on first use from the
 * `.proto` files shipped in the package's `proto/` folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { packageRoot } from '../package-root.js';

/**
 * `<packageRoot>/proto`; when this code runs bundled somewhere else (benchmarks, functions
 * bundled with esbuild), the nearest `proto/` folder above the running file.
 */
function findProtoDir(): string {
  const marker = path.join('proto', 'zipkin.proto');
  if (existsSync(path.join(packageRoot, marker))) return path.join(packageRoot, 'proto');
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, marker))) return path.join(dir, 'proto');
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(packageRoot, 'proto');
    dir = parent;
  }
}

export interface ProtoSchemas {
  /** `zipkin.proto3.ListOfSpans` */
  zipkinListOfSpans: protobuf.Type;
  /** `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest` */
  otlpExportRequest: protobuf.Type;
  /** `opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse` */
  otlpExportResponse: protobuf.Type;
}

let schemas: ProtoSchemas | undefined;

/** The loaded types; the first call reads and compiles the `.proto` files. */
export function protoSchemas(): ProtoSchemas {
  if (schemas === undefined) {
    const protoDir = findProtoDir();
    const root = new protobuf.Root();
    // OTLP files import each other by paths relative to the proto root.
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(protoDir, target));
    root.loadSync(['zipkin.proto', 'opentelemetry/proto/collector/trace/v1/trace_service.proto'], {
      keepCase: false,
    });
    schemas = {
      zipkinListOfSpans: root.lookupType('zipkin.proto3.ListOfSpans'),
      otlpExportRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
      otlpExportResponse: root.lookupType(
        'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
      ),
    };
  }
  return schemas;
}
