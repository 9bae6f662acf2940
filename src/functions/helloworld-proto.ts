/** Where the vSwarm helloworld proto lives (shipped in the package's `proto/` folder). */
import path from 'node:path';
import { packageRoot } from '../package-root.js';

/** Absolute path of `proto/helloworld.proto` (service `helloworld.Greeter`). */
export const HELLOWORLD_PROTO_PATH: string = path.join(packageRoot, 'proto', 'helloworld.proto');
export const GREETER_SERVICE = 'helloworld.Greeter';
