/** Test support of invoker/: real gRPC and HTTP servers on loopback that record requests. */
export {
  startGreeterServer,
  startHttpServer,
  type LoopbackServer,
  type LoopbackServerOptions,
  type ReceivedRequest,
} from './loopback-servers.js';
