import type { Verdict } from "./verdict.ts";
import { addDays } from "./week.ts";

// A "not yet" verdict (right profile, wrong timing) carries a revisit date: on that day, in the
// workspace's timezone, the lead comes back to sales, once.

/** Days from the verdict to its revisit date when no date is picked (a one-click ⏳). */
export const DEFAULT_REVISIT_DAYS = 90;
/** The furthest a revisit date may be: a year is already a long time to wait. */
export const MAX_REVISIT_DAYS = 365;

/** The revisit date a verdict given on `today` ("YYYY-MM-DD") gets by default. */
export function defaultRevisitOn(today: string): string {
  return addDays(today, DEFAULT_REVISIT_DAYS);
}

/** What is wrong with a picked revisit date, seen from the workspace's today; undefined if fine. */
export function revisitDateProblem(revisitOn: string, today: string): string | undefined {
  if (revisitOn <= today) return "Pick a date after today: the lead comes back to sales on it.";
  if (revisitOn > addDays(today, MAX_REVISIT_DAYS)) return "Pick a date within a year from today.";
  return undefined;
}

/**
 * The date a revisit picker starts on: a not-yet verdict's own date while it is still ahead (so
 * saving the form again keeps it), else the default.
 */
export function initialRevisitOn(
  current: { verdict: Verdict; revisitOn: string | null } | null,
  today: string,
): string {
  return current?.verdict === "not_yet" && current.revisitOn && current.revisitOn > today
    ? current.revisitOn
    : defaultRevisitOn(today);
}
