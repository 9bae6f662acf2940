/**
 * An instance carrying out a fault order before its handler runs: sleep, burn real CPU
 * (so the function's `cpu.ms` shows it), allocate and touch memory held until the handler
 * is done (so `peak_mem.kb` shows it), fail, or exit.
 */
import type { FaultOrder } from './fault-spec.js';

/** The header (and gRPC metadata key) the gateway sends the order in. */
export const FAULT_HEADER = 'x-hivelab-fault';
/**
 * The header value for "no fault this time": sent to a function whose own `HIVELAB_FAULT`
 * the platform's table carries out, so the instance does not roll its own dice as well.
 */
export const NO_FAULT = 'none';

function burnCpuMs(ms: number): void {
  const start = process.cpuUsage();
  let sink = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) sink += Math.sqrt(i + sink);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) break;
  }
  if (sink === -1) throw new Error('unreachable');
}

function touchMemory(bytes: number): Buffer {
  const block = Buffer.allocUnsafe(bytes);
  // One write per page so the kernel really backs every page.
  for (let at = 0; at < bytes; at += 4096) block[at] = 1;
  return block;
}

/**
 * Carries out `order`, then runs `handler`; resolves with its result. The memory block is
 * held until the handler settles. `crash` exits the process with code 70.
 */
export async function applyFault<T>(
  order: FaultOrder | undefined,
  handler: () => Promise<T> | T,
): Promise<T> {
  if (!order) return handler();
  if (order.crash) {
    process.stderr.write('hivelab: injected fault: crash\n');
    process.exit(70);
  }
  if (order.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, order.delayMs));
  if (order.cpuMs !== undefined) burnCpuMs(order.cpuMs);
  const held: Buffer | undefined =
    order.memoryBytes !== undefined ? touchMemory(order.memoryBytes) : undefined;
  try {
    if (order.error) throw new Error('injected fault: error');
    return await handler();
  } finally {
    // Used here, so the block stays reachable (and resident) until the handler is done.
    held?.fill(0, 0, 1);
  }
}
