/**
 * The relay's input generators (vSwarm-proto's `*Generator.Next`): what the relay sends
 * downstream per invocation, from `--generator`, `--value` and the bounds. Pure: the
 * random source comes in.
 */
import type { RelayFlags } from './relay-flags.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const AUTH_INPUTS = ['allow', 'deny', 'unauthorized', 'bla bla'];

/** A random integer in [0, n). */
export type RandomInt = (n: number) => number;

/** Pure: a generator of downstream inputs for `service`. */
export function relayGenerator(
  service: string,
  flags: Pick<RelayFlags, 'generator' | 'value' | 'lowerBound' | 'upperBound'>,
  randomInt: RandomInt,
): () => string {
  let count = 0;
  const span = (): number =>
    flags.lowerBound >= flags.upperBound
      ? flags.lowerBound
      : flags.lowerBound + randomInt(flags.upperBound - flags.lowerBound);
  return () => {
    if (service === 'aes' || service === 'auth') {
      if (flags.generator === 'unique') return 'A unique message';
      if (flags.generator === 'linear') return 'A linear message';
      if (service === 'auth') return AUTH_INPUTS[randomInt(AUTH_INPUTS.length)]!;
      return Array.from({ length: span() }, () => LETTERS[randomInt(LETTERS.length)]).join('');
    }
    if (service === 'fibonacci') {
      if (flags.generator === 'linear') return String(++count);
      // vSwarm's random fibonacci input is rand.Intn(1), always 0; hivelab draws within the bounds.
      if (flags.generator === 'random') return String(span());
      return flags.value;
    }
    return flags.value;
  };
}
