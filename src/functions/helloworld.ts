/**
 * Built-in `helloworld`, the vSwarm benchmark: gRPC `helloworld.Greeter/SayHello` answers
 * `{message: "Hello, <name>!"}`; HTTP GET `?name=` or POST (text or JSON `{name}`) answers
 * the same text.
 */
import { defineFunction, traced } from '../sdk/index.js';
import { GREETER_SERVICE, HELLOWORLD_PROTO_PATH } from './helloworld-proto.js';
import { readNameField, sendText } from './request-fields.js';

/** Pure: the greeting for `name` (`World` when empty). */
export function greet(name: string): string {
  return `Hello, ${name === '' ? 'World' : name}!`;
}

/** Traced as seed 004 does: a span with cpu.ms, exec.ms, peak_mem.kb when HIVELAB_ZIPKIN_URL is set. */
const tracedGreet = traced('helloworld', greet);

const helloworld = defineFunction({
  // A Node handler, not fetch: no web Request/Response, so the instance boots without undici.
  async node(req, res) {
    sendText(res, tracedGreet(await readNameField(req)));
  },
  grpc: [
    {
      protoPath: HELLOWORLD_PROTO_PATH,
      service: GREETER_SERVICE,
      methods: {
        SayHello: (request) => ({
          message: tracedGreet(typeof request.name === 'string' ? request.name : ''),
        }),
      },
    },
  ],
});

export default helloworld;
