/** How long an importer may go without finishing a chunk before another process takes over. */
export const IMPORT_LEASE_MS = 2 * 60_000;

/** Until when an importer that renews its lease at `now` holds it. */
export function leaseFrom(now: Date): Date {
  return new Date(now.getTime() + IMPORT_LEASE_MS);
}
