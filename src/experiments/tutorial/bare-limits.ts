/**
 * The bare limits a report sets beside hivelab's figures, measured in the same run on the
 * same machine: a plain `node` process from spawn to its first HTTP answer (the floor of a
 * boot cold start), and a warm gRPC round trip to an in-process helloworld server with no
 * gateway in between (the floor of a warm request).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';
import { HELLOWORLD_PROTO_PATH } from '../../functions/index.js';
import { percentile } from '../report/index.js';

export interface BareLimits {
  /** Median of the runs: spawn → first HTTP response of a bare node server, ms. */
  nodeSpawnToFirstResponseMs: number;
  /** p50 of a warm unary gRPC call over loopback, straight to the server, ms. */
  grpcWarmRoundTripMs: number;
}

const SERVER = `const s=require('node:http').createServer((q,r)=>r.end('ok'));s.listen(0,'127.0.0.1',()=>console.log(s.address().port));`;

function spawnOnce(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'], env: {} });
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => {
      http
        .get({ host: '127.0.0.1', port: Number(chunk.toString().trim()), path: '/' }, (res) => {
          res.resume();
          res.on('end', () => {
            resolve(performance.now() - started);
            child.kill();
          });
        })
        .once('error', reject);
    });
  });
}

async function grpcRoundTrips(calls: number): Promise<number[]> {
  const requireHere = createRequire(import.meta.url);
  const grpc = requireHere('@grpc/grpc-js') as typeof GrpcJs;
  const loader = requireHere('@grpc/proto-loader') as typeof ProtoLoader;
  const pkg = grpc.loadPackageDefinition(loader.loadSync(HELLOWORLD_PROTO_PATH)) as unknown as {
    helloworld: { Greeter: GrpcJs.ServiceClientConstructor };
  };
  const server = new grpc.Server();
  server.addService(pkg.helloworld.Greeter.service, {
    SayHello: (
      call: GrpcJs.ServerUnaryCall<{ name: string }, unknown>,
      callback: GrpcJs.sendUnaryData<{ message: string }>,
    ) => callback(null, { message: `Hello, ${call.request.name}!` }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  const client = new pkg.helloworld.Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const sayHello = (client as unknown as Record<string, (...a: unknown[]) => void>).SayHello!.bind(client);
  const once = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      sayHello({ name: 'bare' }, (error: Error | null) =>
        error ? reject(error) : resolve(performance.now() - t),
      );
    });
  try {
    await once(); // connect
    const out: number[] = [];
    for (let i = 0; i < calls; i++) out.push(await once());
    return out;
  } finally {
    client.close();
    server.forceShutdown();
  }
}

/** Measures the bare limits (`spawns` process starts, `calls` gRPC calls). */
export async function measureBareLimits(spawns = 3, calls = 30): Promise<BareLimits> {
  const spawnMs: number[] = [];
  for (let i = 0; i < spawns; i++) spawnMs.push(await spawnOnce());
  return {
    nodeSpawnToFirstResponseMs: percentile(spawnMs, 50),
    grpcWarmRoundTripMs: percentile(await grpcRoundTrips(calls), 50),
  };
}
