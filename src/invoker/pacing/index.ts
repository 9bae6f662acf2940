/**
 * pacing/: wakes the runner when each planned send falls due (see `pacer.ts` for the two
 * kinds and what they cost). The factory lives here, not beside the `Pacer` type, so that
 * the pacers import the type without importing each other.
 */
import type { Pacer, PacerOptions } from './pacer.js';
import { createSpinPacer } from './spin-pacer.js';
import { createThreadPacer } from './thread-pacer.js';

export type { Pacer, PacerKind, PacerOptions } from './pacer.js';

/** Resolves once the pacer is running (the thread pacer waits for its thread). */
export async function createPacer(options: PacerOptions = {}): Promise<Pacer> {
  if (options.kind === 'thread') return createThreadPacer(options.spinMs ?? 0.3);
  return createSpinPacer(options.spinMs ?? 1);
}
