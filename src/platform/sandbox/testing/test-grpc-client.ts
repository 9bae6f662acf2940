/** Test helper: one `helloworld.Greeter/SayHello` call with @grpc/grpc-js. */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { packageRoot } from '../../../package-root.js';

interface GreeterClient extends grpc.Client {
  SayHello(
    request: { name: string },
    callback: (error: grpc.ServiceError | null, reply?: { message: string }) => void,
  ): void;
}

/**
 * Calls SayHello on 127.0.0.1:`port`; resolves with the reply message. `authority` routes it
 * at a gateway (`<name>.<namespace>.localhost`).
 */
export async function sayHello(port: number, name: string, authority?: string): Promise<string> {
  const definition = protoLoader.loadSync(path.join(packageRoot, 'proto', 'helloworld.proto'));
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    helloworld: {
      Greeter: new (
        address: string,
        creds: grpc.ChannelCredentials,
        options?: grpc.ChannelOptions,
      ) => GreeterClient;
    };
  };
  const client = new root.helloworld.Greeter(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
    authority === undefined ? {} : { 'grpc.default_authority': authority },
  );
  try {
    return await new Promise<string>((resolve, reject) => {
      client.SayHello({ name }, (error, reply) => (error ? reject(error) : resolve(reply?.message ?? '')));
    });
  } finally {
    client.close();
  }
}
