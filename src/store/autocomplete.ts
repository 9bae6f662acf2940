/**
 * Bounds for what the stores remember for autocompletion, so a tag with unbounded values
 * (a URL with ids in it) cannot grow the index without limit.
 */

/** At most this many distinct values are remembered per tag key. @default 1000 */
export const MAX_VALUES_PER_TAG_KEY = 1000;

/** Tag values longer than this are not offered for autocompletion. */
export const MAX_AUTOCOMPLETE_VALUE_LENGTH = 256;

/** Span kind as the stores index it: 'INTERNAL' stands for a span without a kind. */
export function kindLabel(kind: string | undefined): string {
  return kind ?? 'INTERNAL';
}

/**
 * Set membership of (a, b) pairs through nested maps: no combined key string is built per
 * lookup (concatenating and hashing one per tag per span cost ~7 % of the collector's CPU).
 */
class PairSet {
  readonly #byFirst = new Map<string, Set<string>>();

  /** Adds the pair; true when it was new. */
  add(a: string, b: string): boolean {
    let seconds = this.#byFirst.get(a);
    if (seconds === undefined) {
      seconds = new Set();
      this.#byFirst.set(a, seconds);
    }
    if (seconds.has(b)) return false;
    seconds.add(b);
    return true;
  }
}

/** What a span tells the autocomplete dictionaries; the fields a store's facts read. */
export interface FactSpan {
  name?: string;
  kind?: string;
  remoteEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/**
 * The autocomplete facts of a batch of spans, each once: local services, (service, kind,
 * span name), (service, remote service) and (tag key, value) for values short enough to offer.
 * Both stores build their batches with it, wherever the batch is parsed.
 */
export class FactCollector {
  readonly #services = new Set<string>();
  /** service → kind label → span names seen. */
  readonly #names = new Map<string, PairSet>();
  readonly #remotes = new PairSet();
  readonly #tags = new PairSet();
  readonly services: string[] = [];
  readonly spanNames: [string, string, string][] = [];
  readonly remoteServices: [string, string][] = [];
  readonly tagValues: [string, string][] = [];

  /** `service` is the span's (normalised) local service, '' when it has none. */
  add(span: FactSpan, service: string): void {
    if (service !== '') {
      if (!this.#services.has(service)) {
        this.#services.add(service);
        this.services.push(service);
      }
      if (span.name !== undefined) {
        const kind = kindLabel(span.kind);
        let names = this.#names.get(service);
        if (names === undefined) {
          names = new PairSet();
          this.#names.set(service, names);
        }
        if (names.add(kind, span.name)) this.spanNames.push([service, kind, span.name]);
      }
      const remote = span.remoteEndpoint?.serviceName;
      if (remote !== undefined && this.#remotes.add(service, remote)) {
        this.remoteServices.push([service, remote]);
      }
    }
    if (span.tags === undefined) return;
    for (const tag in span.tags) {
      const value = span.tags[tag] as string;
      if (value.length > MAX_AUTOCOMPLETE_VALUE_LENGTH) continue;
      if (this.#tags.add(tag, value)) this.tagValues.push([tag, value]);
    }
  }
}
