/**
 * The bare limit of the end-to-end row's extra hop: what any gateway in a process of its
 * own adds to one fresh-connection HTTP request at a cold start's pace. A warm `node`
 * HTTP server and a bare TCP relay (`net` sockets piped both ways, no parsing) each run
 * in a process of their own; requests alternate direct → server and through the relay,
 * each after the same idle gap as the cold-start runs leave (`gapMs`), from this process.
 *
 * Why it is measured: on this 2-core VM a fresh-connection request between two idle
 * processes costs ~0.6 ms back to back but ~1.3 ms after 100 ms of idle, and one relay
 * process adds ~0.3 ms back to back but ~0.8 ms after idle (2026-12-03). The driver-level
 * prewarm row is ~7 ms, so 1.2x of it leaves ~1.4 ms for the whole gateway hop, of which
 * the relay's wake-ups alone take half or more (1.24 ms in the first bench run). The row
 * prints that floor beside ours.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { getOnce } from './http-once.js';

const SERVER = `const s=require('http').createServer((q,r)=>r.end('ok'));s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
const RELAY = `const net=require('net');const t=+process.argv[1];const s=net.createServer({noDelay:true},(c)=>{const u=net.connect({port:t,host:'127.0.0.1',noDelay:true});c.pipe(u);u.pipe(c);c.on('error',()=>u.destroy());u.on('error',()=>c.destroy())});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;

async function startNode(
  script: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Its first line is its port (a chunk may hold part of it); a child that dies first rejects.
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`relay hop: node -e exited (${code}) before listening`)));
  });
  const line = await firstLine;
  return { child, port: Number(line) };
}

export interface RelayHop {
  directMs: number[];
  relayedMs: number[];
}

/** `runs` alternated pairs (direct, relayed), each request after `gapMs` of idle. */
export async function measureRelayHop(runs: number, gapMs = 100): Promise<RelayHop> {
  const server = await startNode(SERVER);
  const relay = await startNode(RELAY, [String(server.port)]);
  const direct = `http://127.0.0.1:${server.port}/`;
  const relayed = `http://127.0.0.1:${relay.port}/`;
  const idle = (): Promise<void> => new Promise((r) => setTimeout(r, gapMs));
  const time = async (url: string): Promise<number> => {
    const t0 = performance.now();
    const status = await getOnce(url);
    if (status !== 200) throw new Error(`relay hop: ${url} answered ${status}`);
    return performance.now() - t0;
  };
  try {
    // Warm all three processes' paths first (as the gateway and the client are warm).
    for (let i = 0; i < 200; i++) {
      await time(direct);
      await time(relayed);
    }
    const result: RelayHop = { directMs: [], relayedMs: [] };
    for (let i = 0; i < runs; i++) {
      await idle();
      result.directMs.push(await time(direct));
      await idle();
      result.relayedMs.push(await time(relayed));
    }
    return result;
  } finally {
    relay.child.kill();
    server.child.kill();
  }
}
