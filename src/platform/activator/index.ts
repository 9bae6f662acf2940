/** The per-function activator and queue: buffering, FIFO release, containerConcurrency. */
export { Activator } from './activator.js';
export type { ActivatorOptions, Lease } from './activator.js';
