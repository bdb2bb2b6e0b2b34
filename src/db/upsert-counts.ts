import type { UpsertCounts } from "../domain/ingest-schemas.ts";

/** What a batch of nothing did. */
export const NOTHING_UPSERTED: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };

/**
 * The tally of a batch upsert of `sent` rows whose statement returns `(xmax = 0) as created` for
 * each row it wrote (xmax is 0 on a row just inserted) and leaves a row with the same values
 * untouched: what it did not return is unchanged.
 */
export function upsertCounts(sent: number, written: readonly { created: boolean }[]): UpsertCounts {
  const created = written.filter((row) => row.created).length;
  return { created, updated: written.length - created, unchanged: sent - written.length };
}
