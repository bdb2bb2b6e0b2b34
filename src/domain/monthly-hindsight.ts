import { cohortEnd, cohortStartOf, isProvisional } from "./hindsight.ts";
import { addDays, type IsoWeek, weekEndDate } from "./week.ts";

// Once a month the digest looks back: the first digest of each month carries a "Hindsight"
// section over the newest monthly cohorts whose conversion window has passed.

/** How many monthly cohorts the digest's hindsight covers. */
export const DIGEST_HINDSIGHT_MONTHS = 3;

/**
 * The digest that opens a month: the one reporting the first week to end in that month (its
 * Sunday falls on the 1st to the 7th). Each month has exactly one such week, and a past week's
 * digest always gives the same answer, whenever it is posted or previewed.
 */
export function opensMonth(week: IsoWeek): boolean {
  return Number(weekEndDate(week).slice(8, 10)) <= 7;
}

function previousMonth(start: string): string {
  return cohortStartOf(addDays(start, -1), "month");
}

/**
 * The newest `count` calendar months whose leads have all had the conversion window to reach an
 * opportunity by `today` (a date), oldest first: their first and last day, both included.
 */
export function lastMatureMonths(
  today: string,
  conversionWindowDays: number,
  count: number = DIGEST_HINDSIGHT_MONTHS,
): { since: string; until: string } {
  let last = cohortStartOf(today, "month");
  while (isProvisional(last, "month", today, conversionWindowDays)) last = previousMonth(last);
  let first = last;
  for (let i = 1; i < count; i += 1) first = previousMonth(first);
  return { since: first, until: addDays(cohortEnd(last, "month"), -1) };
}
