/** Instances of a function and the manager that keeps them at the desired count. */
export { Instance, pickInstance, pickVictims } from './instance.js';
export type { InstanceState } from './instance.js';
export { InstanceManager } from './instance-manager.js';
export type { InstanceManagerOptions } from './instance-manager.js';
