/** The gRPC host's shape, shared by the grpc-js host and the lean one. */
import type { GrpcService, InvocationContext } from '../../sdk/index.js';
import type { EarlyListener } from './early-listener.js';
import type { HeaderLookup } from './invocation-context.js';

/** A running gRPC server. */
export interface GrpcHost {
  port: number;
  close(): Promise<void>;
}

/** Everything a gRPC host needs per call. */
export interface GrpcHostOptions {
  services: GrpcService[];
  port: number;
  /** Serve this listener's connections (a prewarmed runtime's) instead of listening on `port`. */
  listener?: EarlyListener;
  makeContext: (lookup: HeaderLookup) => InvocationContext;
  onInvocation: () => void;
}
