/** The admin API handler (`/_hivelab/…`) the gateway mounts. */
export { createAdminHandler } from './admin-handler.js';
export type { AdminTarget } from './admin-handler.js';
