/** What the admin API reads logs from (the `InstanceLogStore`). */
import type { InstanceLogMeta } from './instance-log-meta.js';
import type { LogFollower, LogLine, LogSelection } from './log-store.js';

export interface LogSource {
  instances(namespace: string, name: string): InstanceLogMeta[];
  read(namespace: string, name: string, selection?: LogSelection): LogLine[];
  follow(namespace: string, name: string, selection: LogSelection, follower: LogFollower): () => void;
}
