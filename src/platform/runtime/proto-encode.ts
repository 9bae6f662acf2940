/**
 * Pure: protobuf wire encoding for the schemas of `proto-schema.ts`, converting as
 * protobufjs's `fromObject` does (String(), Number(), `| 0`, base64 text for bytes) and
 * throwing `TypeError` naming the field for a non-object message or a non-array repeated
 * field; the bytes equal protobufjs's (fields by number, proto3 packing).
 */
import type { FieldDef, FieldType, MessageType } from './proto-schema.js';

type Obj = Record<string, unknown>;

class Writer {
  private chunks: Buffer[] = [];
  private bytes: number[] = [];

  varint(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 0x80000000) {
      let n = v;
      while (n >= 0x80) {
        this.bytes.push((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      this.bytes.push(n);
      return;
    }
    let n = BigInt.asUintN(64, BigInt(v));
    while (n >= 0x80n) {
      this.bytes.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.bytes.push(Number(n));
  }

  raw(buf: Buffer): void {
    this.flushBytes();
    this.chunks.push(buf);
  }

  private flushBytes(): void {
    if (this.bytes.length > 0) {
      this.chunks.push(Buffer.from(this.bytes));
      this.bytes = [];
    }
  }

  finish(): Buffer {
    this.flushBytes();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') {
    try {
      return BigInt(value.trim() === '' ? 0 : value.trim());
    } catch {
      return BigInt(Math.trunc(Number.parseInt(value, 10) || 0));
    }
  }
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  }
  return 0n;
}

function toBytes(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return Buffer.from(value as number[]);
  return Buffer.alloc(0);
}

function fixed(size: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.allocUnsafe(size);
  write(b);
  return b;
}

/** Wire type and writer of one value. */
function wireOf(type: FieldType): number {
  if (type.kind !== 'scalar') return type.kind === 'enum' ? 0 : 2;
  switch (type.scalar) {
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return 1;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return 5;
    case 'string':
    case 'bytes':
      return 2;
    default:
      return 0;
  }
}

function writeValue(w: Writer, type: FieldType, value: unknown, where: string): void {
  if (type.kind === 'message') {
    if (typeof value !== 'object' || value === null) throw new TypeError(`${where}: object expected`);
    const body = encodeMessage(value as Obj, type.message);
    w.varint(body.length);
    w.raw(body);
    return;
  }
  if (type.kind === 'enum') {
    const n = typeof value === 'string' ? (type.enum.values.get(value) ?? 0) : Number(value) | 0;
    w.varint(n < 0 ? BigInt(n) : n);
    return;
  }
  switch (type.scalar) {
    case 'string': {
      const b = Buffer.from(String(value), 'utf8');
      w.varint(b.length);
      w.raw(b);
      return;
    }
    case 'bytes': {
      const b = toBytes(value);
      w.varint(b.length);
      w.raw(b);
      return;
    }
    case 'bool':
      w.varint(value ? 1 : 0);
      return;
    case 'double':
      w.raw(fixed(8, (b) => b.writeDoubleLE(Number(value))));
      return;
    case 'float':
      w.raw(fixed(4, (b) => b.writeFloatLE(Number(value))));
      return;
    case 'fixed32':
      w.raw(fixed(4, (b) => b.writeUInt32LE(Number(value) >>> 0)));
      return;
    case 'sfixed32':
      w.raw(fixed(4, (b) => b.writeInt32LE(Number(value) | 0)));
      return;
    case 'fixed64':
      w.raw(fixed(8, (b) => b.writeBigUInt64LE(BigInt.asUintN(64, toBigInt(value)))));
      return;
    case 'sfixed64':
      w.raw(fixed(8, (b) => b.writeBigInt64LE(BigInt.asIntN(64, toBigInt(value)))));
      return;
    case 'int32': {
      const n = Number(value) | 0;
      w.varint(n < 0 ? BigInt(n) : n);
      return;
    }
    case 'uint32':
      w.varint(Number(value) >>> 0);
      return;
    case 'sint32': {
      const n = Number(value) | 0;
      w.varint(((n << 1) ^ (n >> 31)) >>> 0);
      return;
    }
    case 'int64':
    case 'uint64':
      w.varint(toBigInt(value));
      return;
    case 'sint64': {
      const n = BigInt.asIntN(64, toBigInt(value));
      w.varint(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
      return;
    }
  }
}

function writeField(w: Writer, field: FieldDef, value: unknown, where: string): void {
  w.varint((field.id << 3) | wireOf(field.type));
  writeValue(w, field.type, value, where);
}

/** Encodes `obj` as `type`; fields that are null or undefined are left out. */
export function encodeMessage(obj: Obj, type: MessageType): Buffer {
  const w = new Writer();
  const fields = [...type.fields].sort((a, b) => a.id - b.id);
  for (const field of fields) {
    const value = obj[field.name];
    if (value === null || value === undefined) continue;
    const where = `.${type.fullName}.${field.name}`;
    if (field.mapKey !== undefined) {
      if (typeof value !== 'object') throw new TypeError(`${where}: object expected`);
      const keyType: FieldDef = {
        name: 'key',
        id: 1,
        type: { kind: 'scalar', scalar: field.mapKey },
        repeated: false,
        packed: false,
      };
      const valueType: FieldDef = { name: 'value', id: 2, type: field.type, repeated: false, packed: false };
      for (const [key, entryValue] of Object.entries(value as Obj)) {
        const entry = new Writer();
        writeField(entry, keyType, field.mapKey === 'string' ? key : Number(key), `${where}.key`);
        if (entryValue !== null && entryValue !== undefined)
          writeField(entry, valueType, entryValue, `${where}.value`);
        const body = entry.finish();
        w.varint((field.id << 3) | 2);
        w.varint(body.length);
        w.raw(body);
      }
    } else if (field.repeated) {
      if (!Array.isArray(value)) throw new TypeError(`${where}: array expected`);
      if (field.packed && value.length > 0) {
        const packed = new Writer();
        for (const item of value) writeValue(packed, field.type, item, where);
        const body = packed.finish();
        w.varint((field.id << 3) | 2);
        w.varint(body.length);
        w.raw(body);
      } else for (const item of value) writeField(w, field, item, where);
    } else writeField(w, field, value, where);
  }
  return w.finish();
}
