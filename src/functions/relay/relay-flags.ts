/**
 * The flags of vSwarm's relay (`tools/relay/server.go`), parsed as Go's `flag` package
 * does: `-name=value`, `--name=value`, `-name value`, booleans bare. Pure.
 */

/** What the relay is told to do. */
export interface RelayFlags {
  /** `--addr`: where vSwarm's relay listens (hivelab serves on PORT, which Knative sets to this port). */
  addr: string;
  /** `--function-name`: picks the downstream protocol (aes-python → aes, …). */
  functionName: string;
  functionEndpointUrl: string;
  functionEndpointPort: string;
  /** `--function-method` (used by multi-method benchmarks; unused by the single-method ones). */
  functionMethod: string;
  generator: 'unique' | 'linear' | 'random';
  value: string;
  lowerBound: number;
  upperBound: number;
  /** `--profile-function`: append `|<µs>` of the downstream call to the reply. */
  profileFunction: boolean;
  verbose: boolean;
}

/** vSwarm's defaults. */
export const RELAY_DEFAULTS: RelayFlags = {
  addr: '0.0.0.0:50000',
  functionName: 'helloworld',
  functionEndpointUrl: '0.0.0.0',
  functionEndpointPort: '50051',
  functionMethod: 'default',
  generator: 'unique',
  value: 'helloWorld',
  lowerBound: 1,
  upperBound: 10,
  profileFunction: false,
  verbose: false,
};

const STRING_FLAGS: Record<string, keyof RelayFlags> = {
  addr: 'addr',
  'function-name': 'functionName',
  'function-endpoint-url': 'functionEndpointUrl',
  'function-endpoint-port': 'functionEndpointPort',
  'function-method': 'functionMethod',
  value: 'value',
  zipkin: 'addr',
};
const INT_FLAGS: Record<string, 'lowerBound' | 'upperBound'> = {
  lowerBound: 'lowerBound',
  upperBound: 'upperBound',
};
const BOOL_FLAGS: Record<string, 'profileFunction' | 'verbose'> = {
  'profile-function': 'profileFunction',
  verbose: 'verbose',
};

/**
 * Pure: the relay's flags from its argv (flags it does not know are errors, as in Go).
 * @throws Error naming the flag and the expected form.
 */
export function parseRelayFlags(argv: readonly string[]): RelayFlags {
  const flags: RelayFlags = { ...RELAY_DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new Error(`relay: unexpected argument ${JSON.stringify(arg)} (expected -flag=value)`);
    const name = match[1]!;
    let value = match[2];
    if (name in BOOL_FLAGS) {
      flags[BOOL_FLAGS[name]!] = value === undefined ? true : !/^(false|0|f)$/i.test(value);
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Error(`relay: flag needs an argument: -${name}`);
    }
    if (name === 'zipkin') continue;
    if (name === 'generator') {
      if (value !== 'unique' && value !== 'linear' && value !== 'random') {
        throw new Error(`relay: -generator: expected unique, linear or random, got ${JSON.stringify(value)}`);
      }
      flags.generator = value;
    } else if (name in INT_FLAGS) {
      const n = Number(value);
      if (!Number.isInteger(n))
        throw new Error(`relay: -${name}: expected an integer, got ${JSON.stringify(value)}`);
      flags[INT_FLAGS[name]!] = n;
    } else if (name in STRING_FLAGS) {
      (flags as unknown as Record<string, string>)[STRING_FLAGS[name]!] = value;
    } else {
      throw new Error(`relay: flag provided but not defined: -${name}`);
    }
  }
  return flags;
}
