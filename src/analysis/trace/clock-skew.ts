/**
 * Clock-skew adjustment as Jaeger's query service does it (`adjuster/clockskew.go`): a
 * child span recorded on another host than its parent that does not fit in its parent is
 * shifted, with its whole subtree, so that it sits in the middle of the parent (the network
 * latency split evenly both ways). A child longer than its parent cannot be fitted: it is
 * only moved to start with its parent when it started before it. A shift larger than
 * `maxSkewUs` is not applied (it is more likely a real gap than skew); 0 disables.
 */
import type { TraceNode, TraceTree } from './trace-tree.js';
import { resortChildren } from './trace-tree.js';

/** The default cap of an adjustment: one second. */
export const DEFAULT_MAX_CLOCK_SKEW_US = 1_000_000;

/** A host's identity: its IP when the span has one, else its service name. */
function host(node: TraceNode): string {
  const endpoint = node.span.localEndpoint;
  return endpoint?.ipv4 ?? endpoint?.ipv6 ?? `service:${node.service}`;
}

function sameHost(a: TraceNode, b: TraceNode): boolean {
  const ea = a.span.localEndpoint;
  const eb = b.span.localEndpoint;
  const ipA = ea?.ipv4 ?? ea?.ipv6;
  const ipB = eb?.ipv4 ?? eb?.ipv6;
  // Only compare IPs when both spans report one; otherwise fall back to service names.
  if (ipA !== undefined && ipB !== undefined) return ipA === ipB;
  return a.service === b.service || host(a) === host(b);
}

/** The shift that fits `child` into `parent`, in µs (0 when none is needed or possible). */
export function skewUs(parent: TraceNode, child: TraceNode): number {
  const parentDuration = parent.endUs - parent.startUs;
  const childDuration = child.endUs - child.startUs;
  if (childDuration > parentDuration) {
    return child.startUs < parent.startUs ? parent.startUs - child.startUs : 0;
  }
  if (child.startUs >= parent.startUs && child.endUs <= parent.endUs) return 0;
  const latency = Math.floor((parentDuration - childDuration) / 2);
  return parent.startUs + latency - child.startUs;
}

function shift(node: TraceNode, deltaUs: number): void {
  node.startUs += deltaUs;
  node.endUs += deltaUs;
  for (const child of node.children) shift(child, deltaUs);
}

/**
 * Adjusts the tree in place (top down, so a child is fitted into its already adjusted
 * parent); returns the number of spans shifted.
 */
export function adjustClockSkew(tree: TraceTree, maxSkewUs: number = DEFAULT_MAX_CLOCK_SKEW_US): number {
  if (maxSkewUs <= 0) return 0;
  let adjusted = 0;
  const visit = (node: TraceNode): void => {
    for (const child of node.children) {
      if (!sameHost(node, child) && child.blocking) {
        const delta = skewUs(node, child);
        if (delta !== 0 && Math.abs(delta) <= maxSkewUs) {
          shift(child, delta);
          adjusted += 1;
        }
      }
      visit(child);
    }
  };
  visit(tree.root);
  if (adjusted > 0) resortChildren(tree);
  return adjusted;
}
