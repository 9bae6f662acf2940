/**
 * Built-in `relay` (`builtin:relay`, and vSwarm's `vhiveease/relay` image): the module the
 * runner loads; its flags are the instance's arguments after the module path.
 */
import { createRelay } from './relay/relay-function.js';

// The runner is `node runner.js <this module> [relay flags…]`.
const relay = createRelay(process.argv.slice(3), (line) => process.stderr.write(`${line}\n`));

export default relay;
