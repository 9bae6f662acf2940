/**
 * Pure: the proto3 subset that hivelab's lean gRPC host serves, parsed from `.proto` text:
 * messages (nested too), scalar, enum, message, repeated and map fields, enums, and
 * services with unary methods. Anything else (imports, proto2, oneof, `optional`,
 * extensions, streaming methods, 64-bit or bool map keys) throws `UnsupportedProtoError`,
 * and the runner then serves the function with @grpc/grpc-js as before: the lean host
 * exists because loading grpc-js and proto-loader costs an instance ~90 ms of CPU at start,
 * several times a whole Node boot.
 */

export type ScalarType =
  | 'double'
  | 'float'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes';

const SCALARS = new Set<string>([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

/** A field's type once names are resolved. */
export type FieldType =
  | { kind: 'scalar'; scalar: ScalarType }
  | { kind: 'enum'; enum: EnumType }
  | { kind: 'message'; message: MessageType };

export interface FieldDef {
  name: string;
  id: number;
  type: FieldType;
  repeated: boolean;
  /** Repeated numeric fields are packed in proto3 unless `[packed = false]`. */
  packed: boolean;
  /** `map<K, V>`: keys are scalar (string or 32-bit integers); `type` is the value's. */
  mapKey?: ScalarType;
}

export interface MessageType {
  fullName: string;
  fields: FieldDef[];
  byId: Map<number, FieldDef>;
}

export interface EnumType {
  fullName: string;
  /** Value names by number (the first name for an aliased number). */
  names: Map<number, string>;
  values: Map<string, number>;
  /** The name of the value that is 0 (proto3's default), or the first value. */
  defaultName: string;
}

export interface MethodDef {
  name: string;
  requestType: MessageType;
  responseType: MessageType;
}

export interface ServiceDef {
  fullName: string;
  methods: Map<string, MethodDef>;
}

export interface ProtoSchema {
  services: Map<string, ServiceDef>;
  messages: Map<string, MessageType>;
}

/** The file uses a feature the lean host does not implement (grpc-js serves it instead). */
export class UnsupportedProtoError extends Error {
  override readonly name = 'UnsupportedProtoError';
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re =
    /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_.][\w.]*|-?[0-9][\w.+-]*)|(.)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const token = m[1] ?? m[2] ?? m[3];
    if (token !== undefined) tokens.push(token);
  }
  return tokens;
}

interface RawField {
  name: string;
  id: number;
  typeName: string;
  repeated: boolean;
  packed: boolean;
  mapKey?: string;
}
interface RawMessage {
  fullName: string;
  scope: string;
  fields: RawField[];
}
interface RawMethod {
  name: string;
  request: string;
  response: string;
}

class Parser {
  private i = 0;
  private pkg = '';
  readonly messages: RawMessage[] = [];
  readonly enums = new Map<string, EnumType>();
  readonly services: { fullName: string; scope: string; methods: RawMethod[] }[] = [];

  constructor(private readonly tokens: string[]) {}

  parse(): void {
    while (this.i < this.tokens.length) {
      const word = this.next();
      if (word === 'syntax') {
        this.expect('=');
        const syntax = this.next();
        if (syntax !== '"proto3"' && syntax !== "'proto3'")
          throw new UnsupportedProtoError(`syntax ${syntax}`);
        this.expect(';');
      } else if (word === 'package') {
        this.pkg = this.next();
        this.expect(';');
      } else if (word === 'option') this.skipStatement();
      else if (word === 'message') this.message(this.pkg);
      else if (word === 'enum') this.enumDef(this.pkg);
      else if (word === 'service') this.service();
      else if (word !== ';') throw new UnsupportedProtoError(`'${word}' at the top level`);
    }
  }

  private next(): string {
    const token = this.tokens[this.i++];
    if (token === undefined) throw new Error('unexpected end of the .proto file');
    return token;
  }

  private peek(): string | undefined {
    return this.tokens[this.i];
  }

  private expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new Error(`expected '${token}' in the .proto file, got '${got}'`);
  }

  private skipStatement(): void {
    while (this.next() !== ';');
  }

  private qualify(scope: string, name: string): string {
    return scope === '' ? name : `${scope}.${name}`;
  }

  /** `[packed = false, deprecated = true]`: only `packed` matters here. */
  private fieldOptions(): { packed?: boolean } {
    if (this.peek() !== '[') return {};
    this.next();
    const options: { packed?: boolean } = {};
    for (;;) {
      const key = this.next();
      this.expect('=');
      const value = this.next();
      if (key === 'packed') options.packed = value === 'true';
      const sep = this.next();
      if (sep === ']') return options;
      if (sep !== ',') throw new Error(`expected ',' or ']' in field options, got '${sep}'`);
    }
  }

  private message(scope: string): void {
    const fullName = this.qualify(scope, this.next());
    const raw: RawMessage = { fullName, scope: fullName, fields: [] };
    this.messages.push(raw);
    this.expect('{');
    for (;;) {
      const word = this.next();
      if (word === '}') return;
      if (word === ';') continue;
      if (word === 'message') this.message(fullName);
      else if (word === 'enum') this.enumDef(fullName);
      else if (word === 'option' || word === 'reserved') this.skipStatement();
      else if (['oneof', 'optional', 'required', 'extensions', 'extend', 'group'].includes(word))
        throw new UnsupportedProtoError(`'${word}' in message ${fullName}`);
      else if (word === 'map') {
        this.expect('<');
        const mapKey = this.next();
        this.expect(',');
        const typeName = this.next();
        this.expect('>');
        raw.fields.push(this.fieldRest(typeName, false, mapKey));
      } else if (word === 'repeated') raw.fields.push(this.fieldRest(this.next(), true));
      else raw.fields.push(this.fieldRest(word, false));
    }
  }

  private fieldRest(typeName: string, repeated: boolean, mapKey?: string): RawField {
    const name = this.next();
    this.expect('=');
    const id = Number(this.next());
    if (!Number.isInteger(id) || id < 1) throw new Error(`field ${name}: bad field number`);
    const options = this.fieldOptions();
    this.expect(';');
    const numeric = SCALARS.has(typeName) && typeName !== 'string' && typeName !== 'bytes';
    return {
      name,
      id,
      typeName,
      repeated,
      // Enums pack like numbers; resolved later, so assume packable unless told otherwise.
      packed: repeated && options.packed !== false && (numeric || !SCALARS.has(typeName)),
      ...(mapKey === undefined ? {} : { mapKey }),
    };
  }

  private enumDef(scope: string): void {
    const fullName = this.qualify(scope, this.next());
    const names = new Map<number, string>();
    const values = new Map<string, number>();
    let first: string | undefined;
    this.expect('{');
    for (;;) {
      const word = this.next();
      if (word === '}') break;
      if (word === ';') continue;
      if (word === 'option' || word === 'reserved') {
        this.skipStatement();
        continue;
      }
      this.expect('=');
      const value = Number(this.next());
      this.fieldOptions();
      this.expect(';');
      first ??= word;
      values.set(word, value);
      if (!names.has(value)) names.set(value, word);
    }
    this.enums.set(fullName, { fullName, names, values, defaultName: names.get(0) ?? first ?? '' });
  }

  private service(): void {
    const fullName = this.qualify(this.pkg, this.next());
    const methods: RawMethod[] = [];
    this.expect('{');
    for (;;) {
      const word = this.next();
      if (word === '}') break;
      if (word === ';') continue;
      if (word === 'option') {
        this.skipStatement();
        continue;
      }
      if (word !== 'rpc') throw new UnsupportedProtoError(`'${word}' in service ${fullName}`);
      const name = this.next();
      this.expect('(');
      let request = this.next();
      if (request === 'stream') throw new UnsupportedProtoError(`streaming method ${fullName}.${name}`);
      this.expect(')');
      this.expect('returns');
      this.expect('(');
      let response = this.next();
      if (response === 'stream') throw new UnsupportedProtoError(`streaming method ${fullName}.${name}`);
      this.expect(')');
      if (this.peek() === '{') {
        this.next();
        let depth = 1;
        while (depth > 0) {
          const t = this.next();
          if (t === '{') depth++;
          else if (t === '}') depth--;
        }
      } else this.expect(';');
      request = request.trim();
      response = response.trim();
      methods.push({ name, request, response });
    }
    this.services.push({ fullName, scope: this.pkg, methods });
  }
}

/** Protobuf's scoping: `Name` inside `a.b.C` is tried as a.b.C.Name, a.b.Name, a.Name, Name. */
function resolveName<T>(table: Map<string, T>, scope: string, name: string): T | undefined {
  if (name.startsWith('.')) return table.get(name.slice(1));
  const parts = scope === '' ? [] : scope.split('.');
  for (let n = parts.length; n >= 0; n--) {
    const candidate = [...parts.slice(0, n), name].join('.');
    const found = table.get(candidate);
    if (found) return found;
  }
  return undefined;
}

/**
 * Parses `.proto` text. @throws UnsupportedProtoError for features outside the subset, and
 * Error for a malformed file or a type name that does not resolve.
 */
export function parseProto(text: string): ProtoSchema {
  const parser = new Parser(tokenize(text));
  parser.parse();
  const messages = new Map<string, MessageType>();
  for (const raw of parser.messages)
    messages.set(raw.fullName, { fullName: raw.fullName, fields: [], byId: new Map() });
  const typeOf = (scope: string, typeName: string): FieldType => {
    if (SCALARS.has(typeName)) return { kind: 'scalar', scalar: typeName as ScalarType };
    const message = resolveName(messages, scope, typeName);
    if (message) return { kind: 'message', message };
    const enumType = resolveName(parser.enums, scope, typeName);
    if (enumType) return { kind: 'enum', enum: enumType };
    throw new UnsupportedProtoError(`type ${typeName} (in ${scope}) is not defined in this file`);
  };
  for (const raw of parser.messages) {
    const message = messages.get(raw.fullName)!;
    for (const f of raw.fields) {
      const type = typeOf(raw.scope, f.typeName);
      if (
        f.mapKey !== undefined &&
        !['string', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32'].includes(f.mapKey)
      )
        throw new UnsupportedProtoError(`map key type ${f.mapKey} in ${raw.fullName}`);
      const field: FieldDef = {
        name: f.name,
        id: f.id,
        type,
        repeated: f.repeated || f.mapKey !== undefined,
        packed: f.packed && type.kind !== 'message' && f.mapKey === undefined,
        ...(f.mapKey === undefined ? {} : { mapKey: f.mapKey as ScalarType }),
      };
      message.fields.push(field);
      message.byId.set(field.id, field);
    }
  }
  const services = new Map<string, ServiceDef>();
  for (const raw of parser.services) {
    const methods = new Map<string, MethodDef>();
    for (const m of raw.methods) {
      const requestType = resolveName(messages, raw.scope, m.request);
      const responseType = resolveName(messages, raw.scope, m.response);
      if (!requestType || !responseType)
        throw new UnsupportedProtoError(`method ${raw.fullName}.${m.name}: message type not in this file`);
      methods.set(m.name, { name: m.name, requestType, responseType });
    }
    services.set(raw.fullName, { fullName: raw.fullName, methods });
  }
  return { services, messages };
}
