/**
 * hivelab's stand-in for vSwarm's relay image (`vhiveease/relay`): serves
 * `helloworld.Greeter/SayHello` and, per call, sends the next generated input to the pod's
 * function with that function's own gRPC method (known by `--function-name`), answering its
 * reply. Flags as vSwarm's relay takes them (see `relay-flags.ts`).
 */
import * as grpc from '@grpc/grpc-js';
import { defineFunction } from '../../sdk/index.js';
import type { FunctionModule } from '../../sdk/index.js';
import { GREETER_SERVICE, HELLOWORLD_PROTO_PATH } from '../helloworld-proto.js';
import { parseRelayFlags } from './relay-flags.js';
import { relayGenerator } from './relay-generator.js';
import { decodeStringField1, encodeStringField1, relayProtocol } from './relay-protocols.js';

/** Builds the relay for `argv` (its flags). @throws Error on a bad flag, as vSwarm's relay exits. */
export function createRelay(
  argv: readonly string[],
  log: (line: string) => void = () => undefined,
): FunctionModule {
  const flags = parseRelayFlags(argv);
  const { protocol, known } = relayProtocol(flags.functionName);
  if (!known)
    log(`relay: no client for ${flags.functionName}; using the helloworld one, as vSwarm's relay does`);
  const next = relayGenerator(protocol.service, flags, (n) => Math.floor(Math.random() * n));
  // 0.0.0.0 is "this pod" in vSwarm's YAML: connect to loopback.
  const host = flags.functionEndpointUrl === '0.0.0.0' ? '127.0.0.1' : flags.functionEndpointUrl;
  const target = `${host}:${flags.functionEndpointPort}`;
  let client: grpc.Client | undefined;
  const callFunction = (input: string): Promise<string> =>
    new Promise((resolve, reject) => {
      client ??= new grpc.Client(target, grpc.credentials.createInsecure());
      client.makeUnaryRequest(
        protocol.path,
        (text: string) => encodeStringField1(text),
        (bytes: Buffer) => decodeStringField1(bytes),
        input,
        (error, reply) => (error ? reject(error) : resolve(reply ?? '')),
      );
    });
  return defineFunction({
    grpc: [
      {
        protoPath: HELLOWORLD_PROTO_PATH,
        service: GREETER_SERVICE,
        methods: {
          SayHello: async () => {
            const started = performance.now();
            const reply = await callFunction(next());
            const elapsedUs = Math.round((performance.now() - started) * 1000);
            return { message: flags.profileFunction ? `${reply}|${elapsedUs}` : reply };
          },
        },
      },
    ],
  });
}
