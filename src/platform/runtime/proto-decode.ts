/**
 * Pure: protobuf wire decoding for the schemas of `proto-schema.ts`, giving the same objects
 * as @grpc/proto-loader with the options the runner always used (`keepCase, longs: String,
 * enums: String, defaults: true`): every field present, 64-bit integers as decimal strings,
 * enums by name, bytes as Buffers, absent messages as null.
 */
import type { FieldDef, FieldType, MessageType, ScalarType } from './proto-schema.js';

type Obj = Record<string, unknown>;

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly end = buf.length,
  ) {}

  varint(): bigint | number {
    let result = 0;
    let shift = 0;
    const { buf } = this;
    // Up to 4 bytes fit a 28-bit safe number; longer ones go through BigInt.
    for (; shift < 28; shift += 7) {
      const byte = buf[this.pos++];
      if (byte === undefined) throw new Error('truncated protobuf message');
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
    let big = BigInt(result);
    for (let s = 28n; s < 70n; s += 7n) {
      const byte = buf[this.pos++];
      if (byte === undefined) throw new Error('truncated protobuf message');
      big |= BigInt(byte & 0x7f) << s;
      if (byte < 0x80) return big;
    }
    throw new Error('malformed varint in protobuf message');
  }

  length(): number {
    const n = Number(this.varint());
    if (this.pos + n > this.end) throw new Error('truncated protobuf message');
    return n;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.pos += this.length();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

const big = (v: bigint | number): bigint => (typeof v === 'bigint' ? v : BigInt(v));

function readScalar(r: Reader, scalar: ScalarType): unknown {
  const { buf } = r;
  switch (scalar) {
    case 'double': {
      const v = buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    case 'float': {
      const v = buf.readFloatLE(r.pos);
      r.pos += 4;
      return v;
    }
    case 'fixed32':
      r.pos += 4;
      return buf.readUInt32LE(r.pos - 4);
    case 'sfixed32':
      r.pos += 4;
      return buf.readInt32LE(r.pos - 4);
    case 'fixed64':
      r.pos += 8;
      return buf.readBigUInt64LE(r.pos - 8).toString();
    case 'sfixed64':
      r.pos += 8;
      return buf.readBigInt64LE(r.pos - 8).toString();
    case 'int32':
      return Number(BigInt.asIntN(32, big(r.varint())));
    case 'uint32':
      return Number(BigInt.asUintN(32, big(r.varint())));
    case 'sint32': {
      const v = Number(BigInt.asUintN(32, big(r.varint())));
      return (v >>> 1) ^ -(v & 1);
    }
    case 'int64':
      return BigInt.asIntN(64, big(r.varint())).toString();
    case 'uint64':
      return BigInt.asUintN(64, big(r.varint())).toString();
    case 'sint64': {
      const v = BigInt.asUintN(64, big(r.varint()));
      return ((v >> 1n) ^ -(v & 1n)).toString();
    }
    case 'bool':
      return r.varint() !== 0;
    case 'string': {
      const n = r.length();
      r.pos += n;
      return buf.toString('utf8', r.pos - n, r.pos);
    }
    case 'bytes': {
      const n = r.length();
      r.pos += n;
      return Buffer.from(buf.subarray(r.pos - n, r.pos));
    }
  }
}

function readValue(r: Reader, type: FieldType): unknown {
  if (type.kind === 'scalar') return readScalar(r, type.scalar);
  if (type.kind === 'enum') {
    const n = Number(BigInt.asIntN(32, big(r.varint())));
    return type.enum.names.get(n) ?? n;
  }
  const n = r.length();
  const value = decodeRange(r.buf, r.pos, r.pos + n, type.message);
  r.pos += n;
  return value;
}

function scalarDefault(scalar: ScalarType): unknown {
  switch (scalar) {
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'bool':
      return false;
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return '0';
    default:
      return 0;
  }
}

/** A singular value's default: null for a message, the zero enum name, the scalar zero. */
function valueDefault(type: FieldType): unknown {
  if (type.kind === 'message') return null;
  if (type.kind === 'enum') return type.enum.defaultName;
  return scalarDefault(type.scalar);
}

function readMapEntry(r: Reader, field: FieldDef, into: Obj): void {
  const entryLength = r.length();
  const end = r.pos + entryLength;
  const keyType = field.mapKey!;
  let key: unknown = scalarDefault(keyType);
  let value: unknown =
    field.type.kind === 'message' ? decodeRange(r.buf, 0, 0, field.type.message) : valueDefault(field.type);
  while (r.pos < end) {
    const tag = Number(r.varint());
    if (tag >>> 3 === 1) key = readScalar(r, keyType);
    else if (tag >>> 3 === 2) value = readValue(r, field.type);
    else r.skip(tag & 7);
  }
  into[String(key)] = value;
}

function decodeRange(buf: Buffer, start: number, end: number, type: MessageType): Obj {
  const out: Obj = {};
  // proto-loader's key order: repeated fields, then maps, then the rest, each by declaration.
  for (const f of type.fields) if (f.repeated && f.mapKey === undefined) out[f.name] = [];
  for (const f of type.fields) if (f.mapKey !== undefined) out[f.name] = {};
  for (const f of type.fields) if (!f.repeated) out[f.name] = valueDefault(f.type);
  const r = new Reader(buf, end);
  r.pos = start;
  while (r.pos < end) {
    const tag = Number(r.varint());
    const field = type.byId.get(tag >>> 3);
    const wire = tag & 7;
    if (!field) {
      r.skip(wire);
      continue;
    }
    if (field.mapKey !== undefined) readMapEntry(r, field, out[field.name] as Obj);
    else if (field.repeated) {
      const list = out[field.name] as unknown[];
      if (wire === 2 && field.type.kind !== 'message' && !isLengthDelimited(field.type)) {
        const packedLength = r.length();
        const packedEnd = r.pos + packedLength;
        while (r.pos < packedEnd) list.push(readValue(r, field.type));
      } else list.push(readValue(r, field.type));
    } else out[field.name] = readValue(r, field.type);
  }
  return out;
}

function isLengthDelimited(type: FieldType): boolean {
  return (
    type.kind === 'message' ||
    (type.kind === 'scalar' && (type.scalar === 'string' || type.scalar === 'bytes'))
  );
}

/** Decodes one message as proto-loader would give it to a handler. */
export function decodeMessage(buf: Buffer, type: MessageType): Obj {
  return decodeRange(buf, 0, buf.length, type);
}
