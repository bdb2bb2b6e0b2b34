import { createTask, parse, validateDetailed } from "node-cron";
import {
  cronExpression,
  type DigestSchedule,
  reportedWeek,
  scheduleTimezone,
} from "./digest-schedule.ts";
import { addDays, dateInZone, type IsoWeek, localTime } from "./week.ts";
import type { Workspace } from "./workspace.ts";

const FIELD_COUNT = 5;
/** How far back and ahead fire times are looked for: a monthly expression still has one. */
const HORIZON_DAYS = 35;

/** What is wrong with a digest's cron expression (five fields, minute first), or null. */
export function cronProblem(expression: string): string | null {
  const trimmed = expression.trim();
  if (trimmed.split(/\s+/).length !== FIELD_COUNT) {
    return "Use five fields: minute hour day-of-month month weekday, e.g. 0 9 * * 1.";
  }
  const result = validateDetailed(trimmed);
  return result.valid ? null : result.errors.map((e) => e.message).join("; ");
}

/**
 * The nearest time an expression fires in a zone: at or before `from` (direction -1), or after it
 * (direction 1); null when it fires on none of the days looked at. Only the expression's own hours
 * and minutes are tried on each day, and node-cron's matcher decides on the local date and time as
 * written (matched in UTC, where every wall-clock time exists), so day-of-month/weekday rules
 * behave as the running task's. On DST days a time is placed by `localTime`: one the clocks skip
 * fires at the first minute after the gap (the running task never sees it; the scheduler's sync
 * takes it up), and one that occurs twice fires at its first occurrence only.
 */
function nearestFire(
  expression: string,
  timeZone: string,
  from: Date,
  direction: 1 | -1,
): Date | null {
  const fields = parse(expression);
  const times = fields.hour
    .flatMap((hour) => fields.minute.map((minute) => (hour * 60 + minute) * 60_000))
    .sort((a, b) => (a - b) * direction);
  const wallClockMatcher = createTask(expression, () => undefined, { timezone: "UTC" });
  try {
    const start = dateInZone(from, timeZone);
    for (let day = 0; day <= HORIZON_DAYS; day += 1) {
      const date = addDays(start, day * direction);
      const midnight = Date.parse(`${date}T00:00:00Z`);
      for (const msOfDay of times) {
        if (!wallClockMatcher.match(new Date(midnight + msOfDay))) continue;
        const at = localTime(date, msOfDay, timeZone);
        if (direction === -1 ? at <= from : at > from) return at;
      }
    }
    return null;
  } finally {
    void wallClockMatcher.destroy();
  }
}

/** The latest time at or before `now` the expression fired. */
export function previousFire(expression: string, timeZone: string, now: Date): Date | null {
  return nearestFire(expression, timeZone, now, -1);
}

/** The next time after `now` the expression fires. */
export function nextFire(expression: string, timeZone: string, now: Date): Date | null {
  return nearestFire(expression, timeZone, now, 1);
}

/** A schedule's next digest: when it fires and the week it reports; null when off or never. */
export function nextDigest(
  schedule: DigestSchedule,
  workspace: Pick<Workspace, "timezone">,
  now: Date,
): { at: Date; week: IsoWeek } | null {
  if (!schedule.enabled) return null;
  const at = nextFire(cronExpression(schedule), scheduleTimezone(schedule, workspace), now);
  return at ? { at, week: reportedWeek(at, workspace) } : null;
}
