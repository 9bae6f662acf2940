/**
 * Instance logs: each instance's stdout and stderr kept under the data dir in the
 * kubelet's CRI format, bounded per container and per function, readable and followable
 * after the instance is gone (what `hivelab logs` reads through the admin API).
 */
export { InstanceLogStore, DEFAULT_LOG_LIMITS } from './log-store.js';
export type { LogFollower, LogLimits, LogLine, LogSelection } from './log-store.js';
export type { LogSource } from './log-source.js';
export { describeInstanceState } from './instance-log-meta.js';
export type { InstanceLogMeta } from './instance-log-meta.js';
export { parseLogQuery } from './log-query.js';
export type { LogQuery } from './log-query.js';
export { formatLogLine } from './log-format.js';
export type { LineFormat } from './log-format.js';
