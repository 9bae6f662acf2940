/**
 * The downstream protocols vSwarm's relay knows by `--function-name` (vSwarm-proto's
 * `FindServiceName` / `FindGrpcClient`), for the benchmarks whose request and reply are one
 * string each: the gRPC method path and the field names. Unknown names fall back to the
 * helloworld client, as vSwarm's relay does. Pure.
 */

/** One downstream protocol: a unary method whose request and reply carry one string (field 1). */
export interface RelayProtocol {
  service: string;
  /** `/package.Service/Method`. */
  path: string;
  requestField: string;
  replyField: string;
}

const PROTOCOLS: Readonly<Record<string, RelayProtocol>> = {
  helloworld: {
    service: 'helloworld',
    path: '/helloworld.Greeter/SayHello',
    requestField: 'name',
    replyField: 'message',
  },
  aes: {
    service: 'aes',
    path: '/aes.Aes/ShowEncryption',
    requestField: 'plaintext_message',
    replyField: 'encryption_info',
  },
  auth: { service: 'auth', path: '/auth.Greeter/SayHello', requestField: 'name', replyField: 'message' },
  fibonacci: {
    service: 'fibonacci',
    path: '/fibonacci.Greeter/SayHello',
    requestField: 'name',
    replyField: 'message',
  },
};

/** Pure: vSwarm's function name → service name (`aes-python` → `aes`). */
export function relayServiceName(functionName: string): string {
  const match = /^(aes|auth|fibonacci)-(go|python|nodejs|cpp)$/.exec(functionName);
  return match ? match[1]! : functionName;
}

/** Pure: the protocol for a function name, and whether it was known. */
export function relayProtocol(functionName: string): { protocol: RelayProtocol; known: boolean } {
  const known = PROTOCOLS[relayServiceName(functionName)];
  return known ? { protocol: known, known: true } : { protocol: PROTOCOLS.helloworld!, known: false };
}

/** Pure: a one-string-field (field 1) protobuf message. */
export function encodeStringField1(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const length: number[] = [];
  let n = body.length;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([0x0a, ...length]), body]);
}

/** Pure: field 1 (a string) of a protobuf message; other fields are skipped. */
export function decodeStringField1(message: Buffer): string {
  let i = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = message[i++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80 && i < message.length);
    return value;
  };
  while (i < message.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const length = varint();
      if (key >>> 3 === 1) return message.subarray(i, i + length).toString('utf8');
      i += length;
    } else break;
  }
  return '';
}
