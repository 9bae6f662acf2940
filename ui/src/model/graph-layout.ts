/** The service graph laid out left to right with dagre. Pure apart from dagre's own state. */
import dagre from '@dagrejs/dagre';
import type { DependencyLink } from './zipkin-span.js';

export interface LaidOutGraph {
  width: number;
  height: number;
  nodes: { name: string; x: number; y: number; width: number; height: number }[];
  edges: { link: DependencyLink; points: { x: number; y: number }[] }[];
}

export function layoutDependencies(links: readonly DependencyLink[]): LaidOutGraph {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const names = new Set<string>();
  for (const l of links) names.add(l.parent).add(l.child);
  for (const name of names) g.setNode(name, { width: Math.max(90, name.length * 7 + 24), height: 36 });
  for (const l of links) if (l.parent !== l.child) g.setEdge(l.parent, l.child);
  dagre.layout(g);
  const graph = g.graph() as { width?: number; height?: number };
  return {
    width: graph.width ?? 0,
    height: graph.height ?? 0,
    nodes: [...names].map((name) => {
      const n = g.node(name) as unknown as { x: number; y: number; width: number; height: number };
      return { name, x: n.x, y: n.y, width: n.width, height: n.height };
    }),
    edges: links
      .filter((l) => l.parent !== l.child)
      .map((link) => ({
        link,
        points: (g.edge(link.parent, link.child) as unknown as { points: { x: number; y: number }[] }).points,
      })),
  };
}
