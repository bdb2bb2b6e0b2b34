import type { Db } from "./client-or-transaction.ts";

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

/**
 * Takes the lock named `name` until the transaction ends (call it inside one): writers of a set of
 * rows that do not exist yet, and so cannot be locked in order, take turns instead.
 */
export async function lockUntilCommit(db: Db, name: string): Promise<void> {
  await db.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`;
}
