/**
 * Environment tuning for a process restored from a V8 startup snapshot.
 *
 * Restoring is mostly copying memory: node reads the whole blob (56 MB for the benchmark's
 * 50 MB table) into a malloc'd buffer, and V8 copies every ArrayBuffer out of it into a new
 * allocation. With 4 KiB pages that is tens of thousands of page faults. glibc's tunables
 * make malloc serve such allocations from its (brk) heap, advised for transparent huge
 * pages: measured here, restore → first response 248 → 187 ms for the 50 MB table (p50 of
 * 9, interleaved), and nothing gained for a booted instance, so only restores get it.
 * Harmless elsewhere: other C libraries ignore the variable, and THP set to `never`
 * ignores the advice.
 */

/** glibc ≥ 2.35: THP for malloc; every allocation below 1 GiB from the (advised) heap. */
export const RESTORE_GLIBC_TUNABLES = 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=1073741824';

/**
 * Pure: `env` with the restore tuning added. A `GLIBC_TUNABLES` the function or the host
 * already set wins: it may carry settings the function relies on.
 */
export function restoreEnv(env: Record<string, string>): Record<string, string> {
  if (env.GLIBC_TUNABLES !== undefined) return env;
  return { ...env, GLIBC_TUNABLES: RESTORE_GLIBC_TUNABLES };
}
