/**
 * Built-in `aes`, the equivalent of vSwarm's `pyaes`: AES-128-CTR encryption (counter from 0,
 * as pyaes's `Counter(initial_value=0)`) of a plaintext, repeated N times, with node:crypto.
 * gRPC `helloworld.Greeter/SayHello` encrypts `name` (the default plaintext when empty);
 * HTTP GET/POST `?plaintext=&iterations=` (or the POST body as plaintext) answers JSON.
 */
import { createCipheriv } from 'node:crypto';
import { defineFunction, traced } from '../sdk/index.js';
import { GREETER_SERVICE, HELLOWORLD_PROTO_PATH } from './helloworld-proto.js';
import { badRequest, queryOf, readText, sendJson } from './request-fields.js';

/** A fixed 128-bit key, so runs are comparable (vSwarm's pyaes uses a fixed key too). */
const KEY = Buffer.from('a1f6258c877d5fcd8964484538bfc92c', 'hex');
const ZERO_COUNTER = Buffer.alloc(16);
export const DEFAULT_PLAINTEXT = 'defaultplaintext';
/** Encryptions per request when the caller does not say (env `AES_ITERATIONS` overrides). */
export const DEFAULT_ITERATIONS = 100;
const MAX_ITERATIONS = 10_000_000;

/** Pure: encrypts `plaintext` `iterations` times (each from a fresh counter); returns the ciphertext, hex. */
export function encryptRepeatedly(plaintext: string, iterations: number): string {
  let ciphertext = Buffer.alloc(0);
  const input = Buffer.from(plaintext, 'utf8');
  for (let i = 0; i < iterations; i++) {
    const cipher = createCipheriv('aes-128-ctr', KEY, ZERO_COUNTER);
    ciphertext = Buffer.concat([cipher.update(input), cipher.final()]);
  }
  return ciphertext.toString('hex');
}

function defaultIterations(): number {
  const fromEnv = Number(process.env.AES_ITERATIONS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_ITERATIONS;
}

const tracedEncrypt = traced('aes', encryptRepeatedly);

const aes = defineFunction({
  async node(req, res) {
    const query = queryOf(req);
    const iterationsText = query.get('iterations');
    const iterations = iterationsText === null ? defaultIterations() : Number(iterationsText);
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
      badRequest(
        res,
        `iterations: expected an integer from 1 to ${MAX_ITERATIONS}, got ${JSON.stringify(iterationsText)}`,
      );
      return;
    }
    const body = req.method === 'POST' ? await readText(req) : '';
    const plaintext = query.get('plaintext') ?? (body || DEFAULT_PLAINTEXT);
    sendJson(res, { plaintext, iterations, ciphertext: tracedEncrypt(plaintext, iterations) });
  },
  grpc: [
    {
      protoPath: HELLOWORLD_PROTO_PATH,
      service: GREETER_SERVICE,
      methods: {
        SayHello: (request) => {
          const name =
            typeof request.name === 'string' && request.name !== '' ? request.name : DEFAULT_PLAINTEXT;
          const ciphertext = tracedEncrypt(name, defaultIterations());
          return { message: `fn: AES | plaintext: ${name} | ciphertext: ${ciphertext}` };
        },
      },
    },
  ],
});

export default aes;
