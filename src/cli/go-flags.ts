/**
 * vHive's tools are Go programs whose long flags take one dash (`-jsonFile`, `-rps 4`).
 * Commander wants two; rewrite `-name[=v]` with a multi-letter name to `--name[=v]` so
 * vHive's command lines work unchanged. Single letters (`-h`) and negative numbers
 * (`-1`) are left alone, and so is everything after `--`.
 */
export function normalizeGoFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of argv) {
    if (passthrough || arg === '--') {
      passthrough = true;
      out.push(arg);
    } else if (/^-[A-Za-z][A-Za-z0-9_-]+(=.*)?$/.test(arg)) {
      out.push(`-${arg}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}
