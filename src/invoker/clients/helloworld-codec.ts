/**
 * Encoding of the vSwarm helloworld messages (`proto/helloworld.proto`), shared by the
 * invoker's gRPC client and its tests' loopback servers.
 */
import path from 'node:path';
import protobuf from 'protobufjs';
import { packageRoot } from '../../package-root.js';

/** Absolute path of the helloworld proto shipped with the package. */
export const HELLOWORLD_PROTO = path.join(packageRoot, 'proto', 'helloworld.proto');
/** The gRPC method path vHive's invoker calls. */
export const SAY_HELLO_PATH = '/helloworld.Greeter/SayHello';

export interface HelloRequest {
  name: string;
  vHiveMetadata: Uint8Array;
}
export interface HelloReply {
  message: string;
}

let types: { request: protobuf.Type; reply: protobuf.Type } | undefined;
function loadTypes(): { request: protobuf.Type; reply: protobuf.Type } {
  if (!types) {
    const root = protobuf.loadSync(HELLOWORLD_PROTO);
    types = {
      request: root.lookupType('helloworld.HelloRequest'),
      reply: root.lookupType('helloworld.HelloReply'),
    };
  }
  return types;
}

/** Loads the proto now rather than on the first request. */
export function preloadHelloworld(): void {
  loadTypes();
}

export function encodeHelloRequest(message: HelloRequest): Buffer {
  const { request } = loadTypes();
  return Buffer.from(request.encode(request.create(message)).finish());
}

export function decodeHelloRequest(bytes: Uint8Array): HelloRequest {
  const { request } = loadTypes();
  const decoded = request.toObject(request.decode(bytes), { defaults: true, bytes: Buffer }) as {
    name: string;
    vHiveMetadata: Buffer;
  };
  return { name: decoded.name, vHiveMetadata: decoded.vHiveMetadata };
}

export function encodeHelloReply(message: HelloReply): Buffer {
  const { reply } = loadTypes();
  return Buffer.from(reply.encode(reply.create(message)).finish());
}

export function decodeHelloReply(bytes: Uint8Array): HelloReply {
  const { reply } = loadTypes();
  const decoded = reply.toObject(reply.decode(bytes), { defaults: true }) as { message: string };
  return { message: decoded.message };
}
