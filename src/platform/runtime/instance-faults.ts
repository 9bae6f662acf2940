/**
 * Faults a function carries in its own environment (`HIVELAB_FAULT=delay=50ms,share=0.1`
 * in the Service's `env`): the instance picks the share of its invocations itself and
 * records each injection as one JSON line on stderr (kept with the instance's log), so a
 * report can hold it against what the analyzer found.
 */
import type { InvocationContext } from '../../sdk/index.js';
import { faultKinds, formatFaultOrder, parseFaultSpec, type FaultOrder } from '../faults/index.js';

/** The decision per invocation, or `undefined` when the env asks for no fault. */
export function instanceFaults(
  env: NodeJS.ProcessEnv,
  random: () => number = Math.random,
  record: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): ((ctx: InvocationContext) => FaultOrder | undefined) | undefined {
  const text = env.HIVELAB_FAULT;
  if (text === undefined || text.trim() === '') return undefined;
  let spec: ReturnType<typeof parseFaultSpec>;
  try {
    spec = parseFaultSpec(text);
  } catch (error) {
    // A bad spec must not take the function down: say so once, inject nothing.
    record(`hivelab: HIVELAB_FAULT ignored: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const order = formatFaultOrder(spec.order);
  const kinds = faultKinds(spec.order);
  return (ctx) => {
    if (random() >= spec.share) return undefined;
    const traceId = /^00-([0-9a-f]{32})-/.exec(ctx.traceHeaders.traceparent ?? '')?.[1];
    record(
      JSON.stringify({
        hivelabFault: { timeMs: Date.now(), function: ctx.functionName, kinds, order, traceId },
      }),
    );
    return spec.order;
  };
}
