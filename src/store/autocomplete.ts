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
