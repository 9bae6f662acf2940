/**
 * zod issues → one line each, "<field path>: expected <form>, got <value>", the form every
 * bad-input message in hivelab takes (conventions habit 8).
 */
import type { z } from 'zod';

/** `["spec","containers",0,"image"]` → `spec.containers[0].image`; odd keys in `["…"]`. */
export function formatFieldPath(segments: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(top level)';
}

/** Shows a received value briefly: strings quoted, objects as their kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Formats the issues of a failed `safeParse(…, { reportInput: true })`. Schemas give their
 * expected form as the custom error (`{ error: 'a non-negative integer' }`).
 */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[], root = ''): string[] {
  return issues.map((issue) => {
    const field = formatFieldPath(issue.path, root);
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'unrecognized_keys') return `${field}: unknown field(s) ${issue.keys.join(', ')}`;
    const expected = issue.message.startsWith('Invalid input')
      ? issue.message.replace(/^Invalid input: /, '')
      : issue.message;
    return `${field}: expected ${expected.replace(/^expected /, '')}, got ${describeValue(input)}`;
  });
}
