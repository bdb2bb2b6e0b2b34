import type { CrmCursors } from "./crm-connection.ts";

/**
 * How far behind the newest change a stored cursor stays: a CRM's search index can show a change
 * a little after it happened, and reading these minutes again costs only unchanged upserts.
 */
export const CURSOR_OVERLAP_MS = 5 * 60_000;

/** Where an object's sync starts: its cursor, or the backfill's start. */
export function changedSince(
  sync: { cursors: CrmCursors; backfillFrom: Date },
  object: string,
): Date {
  const cursor = sync.cursors[object];
  return cursor ? new Date(cursor.modifiedSince) : sync.backfillFrom;
}

/** The cursor stored after a page: its newest change, held back by the overlap. */
export function storedCursor(newest: Date, startedAt: Date): Date {
  return new Date(Math.min(newest.getTime(), startedAt.getTime() - CURSOR_OVERLAP_MS));
}
