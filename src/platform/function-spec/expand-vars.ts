/**
 * Kubernetes' `$(VAR)` expansion in a container's `command`, `args` and `env` values: a
 * reference to a defined variable becomes its value, `$$` becomes `$` (so `$$(VAR)` stays
 * literal `$(VAR)`), and a reference to an undefined variable is left as written. Pure, and
 * the same rules as k8s.io/kubernetes third_party/forked/golang/expansion.
 */

/** Pure: `text` with every `$(NAME)` of `env` replaced. */
export function expandVars(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '$' || i + 1 >= text.length) {
      out += char;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close === -1) {
        // An unclosed reference stays as written.
        out += text.slice(i);
        break;
      }
      const name = text.slice(i + 2, close);
      out += Object.hasOwn(env, name) ? env[name] : `$(${name})`;
      i = close;
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * Pure: env entries in order, each value expanded against the entries before it and
 * `outer` (what the platform defines), as Kubernetes does for `env[].value`.
 */
export function expandEnv(
  entries: readonly (readonly [string, string])[],
  outer: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const defined: Record<string, string> = { ...outer };
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    const expanded = expandVars(value, defined);
    defined[name] = expanded;
    out[name] = expanded;
  }
  return out;
}
