/**
 * Rows in the one order every writer uses: sorted by their unique key. Two transactions that lock
 * the same rows in the same order wait for each other instead of deadlocking.
 */
export function inLockOrder<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  return [...rows].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
