import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../package-root.js';
import { decodeMessage } from './proto-decode.js';
import { encodeMessage } from './proto-encode.js';
import { parseProto, UnsupportedProtoError } from './proto-schema.js';

// The options the runner's grpc-js host always loaded protos with: the lean codec must give
// handlers exactly what proto-loader gave them, and put the same bytes on the wire.
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

const EVERYTHING = `
// every feature of the lean subset
syntax = "proto3";
package lab.v1;
option go_package = "example.com/lab";

enum Colour { COLOUR_UNSET = 0; RED = 1; GREEN = 2 [deprecated = true]; }

message Outer {
  message Inner { string label = 1; repeated sint32 deltas = 2; }
  enum Mode { OFF = 0; ON = 1; }
  double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;
  sint32 s32 = 7; sint64 s64 = 8; fixed32 fx32 = 9; fixed64 fx64 = 10; sfixed32 sf32 = 11;
  sfixed64 sf64 = 12; bool b = 13; string s = 14; bytes by = 15;
  Inner inner = 16; repeated Inner inners = 17; repeated int32 packed = 18;
  repeated string names = 19; map<string, Inner> byName = 20; map<int32, string> byNumber = 21;
  Colour colour = 22; Mode mode = 23; repeated Colour colours = 24;
  repeated int32 unpacked = 25 [packed = false];
  reserved 99;
  /* a block comment */
}

service Lab { rpc Echo (Outer) returns (Outer) {} rpc Ping (.lab.v1.Outer.Inner) returns (Outer.Inner); }
`;

function loaderCodec(file: string, service: string, method: string) {
  const definition = protoLoader.loadSync(file, LOADER_OPTIONS);
  const m = (definition[service] as protoLoader.ServiceDefinition)[method]!;
  return {
    encode: (value: object): Buffer => m.requestSerialize(value),
    decode: (bytes: Buffer): unknown => m.requestDeserialize(bytes),
  };
}

function writeProto(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hivelab-proto-')), 'lab.proto');
  writeFileSync(file, text);
  return file;
}

const FULL = {
  d: 1.5,
  f: 0.25,
  i32: -7,
  i64: '-9007199254740993',
  u32: 4_000_000_000,
  u64: '18446744073709551615',
  s32: -3,
  s64: '-42',
  fx32: 7,
  fx64: '12345678901234',
  sf32: -8,
  sf64: '-12345678901234',
  b: true,
  s: 'héllo',
  by: Buffer.from([0, 1, 255]),
  inner: { label: 'x', deltas: [-1, 2, -300] },
  inners: [
    { label: 'a', deltas: [] },
    { label: '', deltas: [5] },
  ],
  packed: [1, -2, 300000],
  names: ['n1', '', 'n3'],
  byName: { k: { label: 'v', deltas: [1] } },
  byNumber: { '3': 'three', '-4': 'minus four' },
  colour: 'RED',
  mode: 'ON',
  colours: ['GREEN', 'RED'],
  unpacked: [9, 10],
};

describe('lean protobuf codec against @grpc/proto-loader', () => {
  const file = writeProto(EVERYTHING);
  const schema = parseProto(EVERYTHING);
  const outer = schema.messages.get('lab.v1.Outer')!;
  const loader = loaderCodec(file, 'lab.v1.Lab', 'Echo');

  it('encodes every field type to bytes proto-loader decodes to the same object, and back', () => {
    const ours = encodeMessage(FULL, outer);
    expect(loader.decode(ours)).toEqual(decodeMessage(ours, outer));
    expect(decodeMessage(loader.encode(FULL), outer)).toEqual(loader.decode(loader.encode(FULL)));
    expect(ours.equals(loader.encode(FULL))).toBe(true);
  });

  it('fills every absent field with the default proto-loader gives', () => {
    const empty = Buffer.alloc(0);
    expect(decodeMessage(empty, outer)).toEqual(loader.decode(empty));
    expect(Object.keys(decodeMessage(empty, outer))).toEqual(Object.keys(loader.decode(empty) as object));
  });

  it('converts loosely typed replies as protobufjs fromObject does', () => {
    const loose = { i32: '12', d: '2.5', b: 1, s: 5, by: 'AAH/', i64: 7, colour: 2, u64: 3 };
    expect(decodeMessage(encodeMessage(loose, outer), outer)).toEqual(loader.decode(loader.encode(loose)));
  });

  it('names the field when a reply has the wrong shape', () => {
    expect(() => encodeMessage({ inner: 'nope' }, outer)).toThrow('.lab.v1.Outer.inner: object expected');
    expect(() => encodeMessage({ names: 'nope' }, outer)).toThrow('.lab.v1.Outer.names: array expected');
  });

  it('resolves nested and absolute type names in services', () => {
    const ping = schema.services.get('lab.v1.Lab')!.methods.get('Ping')!;
    expect(ping.requestType.fullName).toBe('lab.v1.Outer.Inner');
    expect(ping.responseType.fullName).toBe('lab.v1.Outer.Inner');
  });

  it("round-trips the repository's own protos (helloworld, hotel, video) like proto-loader", () => {
    const dirs = [path.join(packageRoot, 'proto'), path.join(packageRoot, 'proto', 'hotel')];
    const files = dirs.flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.proto') && f !== 'zipkin.proto')
        .map((f) => path.join(dir, f)),
    );
    expect(files.length).toBeGreaterThan(5);
    for (const protoFile of files) {
      const parsed = parseProto(readFileSync(protoFile, 'utf8'));
      const definition = protoLoader.loadSync(protoFile, LOADER_OPTIONS);
      for (const [serviceName, service] of parsed.services) {
        for (const [methodName, method] of service.methods) {
          const m = (definition[serviceName] as protoLoader.ServiceDefinition)[methodName]!;
          const sample = loaderDefaultsFilled(
            m.requestDeserialize(Buffer.alloc(0)) as Record<string, unknown>,
          );
          const bytes = encodeMessage(sample, method.requestType);
          expect(decodeMessage(bytes, method.requestType), `${serviceName}.${methodName}`).toEqual(
            m.requestDeserialize(m.requestSerialize(sample)),
          );
        }
      }
    }
  });

  it('leaves files outside the subset to grpc-js', () => {
    for (const text of [
      'syntax = "proto2"; message A { optional string a = 1; }',
      'syntax = "proto3"; import "other.proto"; message A {}',
      'syntax = "proto3"; message A { oneof x { string a = 1; int32 b = 2; } }',
      'syntax = "proto3"; message A {} service S { rpc M (stream A) returns (A); }',
      'syntax = "proto3"; message A { map<int64, string> m = 1; }',
      'syntax = "proto3"; message A { google.protobuf.Timestamp at = 1; }',
    ]) {
      expect(() => parseProto(text), text).toThrow(UnsupportedProtoError);
    }
  });
});

/** Non-default sample values for every string, number and repeated string field. */
function loaderDefaultsFilled(defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (typeof value === 'string') out[key] = value === '0' ? '12' : `v-${key}`;
    else if (typeof value === 'number') out[key] = 1.5;
    else if (typeof value === 'boolean') out[key] = true;
    else if (Array.isArray(value)) out[key] = [];
    else if (Buffer.isBuffer(value)) out[key] = Buffer.from(key);
    else out[key] = value;
  }
  return out;
}
