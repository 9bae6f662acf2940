/**
 * Synthetic traces for analysis tests and the benchmark: one request type
 *
 *   gw:get /x (SERVER) ─┬ auth:check (CLIENT→SERVER pair folded)   cpu.ms, peak_mem.kb
 *                       └ db:query   (CLIENT→SERVER pair folded)
 *
 * with seeded jitter, and hooks to plant a slow, CPU-heavy or memory-heavy node.
 */
import type { Span } from '../../spans/index.js';
import { T0_US } from './make-span.js';

export interface Plant {
  /** Extra self time of db:query's server span, µs. */
  dbSlowUs?: number;
  /** cpu.ms of auth:check's server span. */
  authCpuMs?: number;
  /** peak_mem.kb of auth:check's server span. */
  authMemKb?: number;
  /** Extra time between gw's CLIENT span to db and db's SERVER span (the wire), µs. */
  dbWireUs?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const hex = (n: number, width = 16): string => n.toString(16).padStart(width, '0');

/** Trace `index` of the synthetic type, starting at `startUs`. */
export function syntheticTrace(index: number, startUs = T0_US + index * 10_000, plant: Plant = {}): Span[] {
  const r = rng(index + 1);
  const traceId = hex(0xabc00000 + index);
  const id = (n: number): string => hex(index * 16 + n);
  const authUs = 300 + Math.round(r() * 60);
  const dbUs = 500 + Math.round(r() * 100) + (plant.dbSlowUs ?? 0);
  const wire = 20 + (plant.dbWireUs ?? 0);
  const dbStart = startUs + 50 + authUs + 40;
  const end = dbStart + dbUs + 2 * wire + 30;
  const gw = { serviceName: 'gw' };
  return [
    {
      traceId,
      id: id(1),
      name: 'get /x',
      kind: 'SERVER',
      timestamp: startUs,
      duration: end - startUs,
      localEndpoint: gw,
    },
    {
      traceId,
      id: id(2),
      parentId: id(1),
      name: 'check',
      kind: 'CLIENT',
      timestamp: startUs + 50,
      duration: authUs + 40,
      localEndpoint: gw,
      remoteEndpoint: { serviceName: 'auth' },
    },
    {
      traceId,
      id: id(3),
      parentId: id(2),
      name: 'check',
      kind: 'SERVER',
      timestamp: startUs + 70,
      duration: authUs,
      localEndpoint: { serviceName: 'auth' },
      tags: {
        'cpu.ms': (plant.authCpuMs ?? 0.2 + r() * 0.02).toFixed(3),
        'peak_mem.kb': String(plant.authMemKb ?? 20_000 + Math.round(r() * 200)),
      },
    },
    {
      traceId,
      id: id(4),
      parentId: id(1),
      name: 'query',
      kind: 'CLIENT',
      timestamp: dbStart,
      duration: dbUs + 2 * wire,
      localEndpoint: gw,
      remoteEndpoint: { serviceName: 'db' },
    },
    {
      traceId,
      id: id(5),
      parentId: id(4),
      name: 'query',
      kind: 'SERVER',
      timestamp: dbStart + wire,
      duration: dbUs,
      localEndpoint: { serviceName: 'db' },
    },
  ];
}
