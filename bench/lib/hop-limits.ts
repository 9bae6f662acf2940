/**
 * The limits of the end-to-end row's extra hop: what a gateway in a process of its own adds
 * to one fresh-connection request at a cold start's pace, per protocol. A warm server (a
 * `node` HTTP server, or an h2c server answering SayHello) runs in a process of its own;
 * requests from this process alternate among three ways to it, each after the same idle
 * gap as the cold-start runs leave (`gapMs`):
 * - direct;
 * - through a bare TCP relay process (`net` sockets piped both ways, no parsing): the floor,
 *   what the hop's process wake-ups alone cost;
 * - through the peer, the simplest proxy of the protocol in a process of its own
 *   (node:http with a keep-alive agent, or node:http2 on its core API with one pooled
 *   session; see peer-process.ts): what a gateway that parses and forwards, and does
 *   nothing else, costs.
 *
 * Why it is measured: on this 2-core VM a fresh-connection request between two idle
 * processes costs ~0.6 ms back to back but ~1.3 ms after 100 ms of idle, and one relay
 * process adds ~0.3 ms back to back but ~0.8 ms after idle (2026-12-03). The driver-level
 * prewarm row is ~7 ms, so 1.2x of it leaves ~1.4 ms for the whole gateway hop, of which
 * the relay's wake-ups alone take half or more. The rows print both limits beside ours.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { grpcHelloOnce } from './grpc-hello.js';
import { getOnce } from './http-once.js';
import { peerEnv } from './peer-process.js';

export type HopProtocol = 'http' | 'grpc';

const HTTP_SERVER = `const s=require('http').createServer((q,r)=>r.end('ok'));s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
// SayHello's answer: one gRPC frame (HelloReply { message = "hello" }), then grpc-status 0.
const GRPC_SERVER = `const s=require('http2').createServer();s.on('stream',(t)=>{t.resume();t.on('end',()=>{t.respond({':status':200,'content-type':'application/grpc'},{waitForTrailers:true});t.on('wantTrailers',()=>t.sendTrailers({'grpc-status':'0'}));t.end(Buffer.from([0,0,0,0,7,10,5,104,101,108,108,111]))})});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
const RELAY = `const net=require('net');const t=+process.argv[1];const s=net.createServer({noDelay:true},(c)=>{const u=net.connect({port:t,host:'127.0.0.1',noDelay:true});c.pipe(u);u.pipe(c);c.on('error',()=>u.destroy());u.on('error',()=>c.destroy())});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;

/** Starts `node <args>` and resolves with the port it prints as its first line. */
async function startListening(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  // Its first line is its port (a chunk may hold part of it); a child that dies first rejects.
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`hop limits: node exited (${code}) before listening`)));
  });
  const line = await firstLine;
  return { child, port: Number(line) };
}

export interface HopSamples {
  directMs: number[];
  relayedMs: number[];
  peerMs: number[];
}

/**
 * `runs` rounds of (direct, relayed, through the peer), each request after `gapMs` of idle.
 * `bundle` is the bench's own script, run again as the peer (peer-process.ts).
 */
export async function measureHopLimits(
  protocol: HopProtocol,
  runs: number,
  bundle: string,
  gapMs = 100,
): Promise<HopSamples> {
  const children: ChildProcess[] = [];
  const start = async (args: string[], env?: NodeJS.ProcessEnv): Promise<number> => {
    const started = await startListening(args, env);
    children.push(started.child);
    return started.port;
  };
  try {
    const serverPort = await start(['-e', protocol === 'grpc' ? GRPC_SERVER : HTTP_SERVER]);
    const relayPort = await start(['-e', RELAY, String(serverPort)]);
    const peerPort = await start([bundle], peerEnv(protocol === 'grpc' ? 'h2' : 'http', serverPort));
    const once = async (port: number): Promise<number> => {
      const t0 = performance.now();
      if (protocol === 'grpc') await grpcHelloOnce(port);
      else {
        const status = await getOnce(`http://127.0.0.1:${port}/`);
        if (status !== 200) throw new Error(`hop limits: port ${port} answered ${status}`);
      }
      return performance.now() - t0;
    };
    const ways = [serverPort, relayPort, peerPort];
    // Warm every process's path first (as the gateway and the client are warm).
    for (let i = 0; i < 200; i++) for (const port of ways) await once(port);
    const samples: number[][] = [[], [], []];
    const idle = (): Promise<void> => new Promise((r) => setTimeout(r, gapMs));
    for (let i = 0; i < runs; i++) {
      for (const [at, port] of ways.entries()) {
        await idle();
        samples[at]!.push(await once(port));
      }
    }
    return { directMs: samples[0]!, relayedMs: samples[1]!, peerMs: samples[2]! };
  } finally {
    for (const child of children) child.kill();
  }
}
