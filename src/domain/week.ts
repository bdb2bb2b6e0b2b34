import { AppError } from "./app-error.ts";

/** An ISO 8601 week: Monday to Sunday; week 1 is the week containing the year's first Thursday. */
export interface IsoWeek {
  year: number;
  week: number;
}

const MS_PER_DAY = 86_400_000;

// Calendar dates are handled as day numbers (days since 1970-01-01) with pure arithmetic, so no
// Date quirk (two-digit years, local time) can leak in.
function daysFromCivil(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
function weekdayOf(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function formatDays(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function daysInMonth(year: number, month: number): number {
  return (
    daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
    daysFromCivil(year, month, 1)
  );
}

function parseDateToDays(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new AppError(
      "invalid_date",
      `Invalid calendar date: ${JSON.stringify(date)}`,
      `"${date}" is not a valid date. Use YYYY-MM-DD, e.g. 2026-11-16.`,
    );
  }
  return daysFromCivil(year, month, day);
}

function mondayOfWeekOne(year: number): number {
  // January 4th is always in week 1.
  const jan4 = daysFromCivil(year, 1, 4);
  return jan4 - weekdayOf(jan4);
}

function isoWeekOfDays(days: number): IsoWeek {
  // The week belongs to the year of its Thursday.
  const thursday = days - weekdayOf(days) + 3;
  const { year } = civilFromDays(thursday);
  return { year, week: Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1 };
}

/** 52 or 53: December 28th is always in the year's last week. */
export function weeksInYear(year: number): number {
  return isoWeekOfDays(daysFromCivil(year, 12, 28)).week;
}

function invalidWeek(text: string, why: string): AppError {
  return new AppError(
    "invalid_week",
    `Invalid ISO week ${JSON.stringify(text)}: ${why}`,
    `"${text}" is not a valid week: ${why}. Use YYYY-Www, e.g. 2026-W47.`,
  );
}

function assertValidWeek(w: IsoWeek, text = formatIsoWeek(w)): void {
  if (!Number.isInteger(w.year) || w.year < 1 || w.year > 9999) {
    throw invalidWeek(text, "the year must be between 0001 and 9999");
  }
  const max = weeksInYear(w.year);
  if (!Number.isInteger(w.week) || w.week < 1 || w.week > max) {
    throw invalidWeek(text, `${w.year} has weeks 1 to ${max}`);
  }
}

function weekStartDays(w: IsoWeek): number {
  assertValidWeek(w);
  return mondayOfWeekOne(w.year) + (w.week - 1) * 7;
}

export function parseIsoWeek(text: string): IsoWeek {
  const match = /^(\d{4})-W(\d{2})$/i.exec(text.trim());
  if (!match) throw invalidWeek(text, "expected a year, -W and a two-digit week");
  const w = { year: Number(match[1]), week: Number(match[2]) };
  assertValidWeek(w, text);
  return w;
}

export function formatIsoWeek(w: IsoWeek): string {
  return `${pad(w.year, 4)}-W${pad(w.week, 2)}`;
}

/** The ISO week of a calendar date "YYYY-MM-DD". */
export function isoWeekOfDate(date: string): IsoWeek {
  return isoWeekOfDays(parseDateToDays(date));
}

/** Monday of the week, "YYYY-MM-DD". */
export function weekStartDate(w: IsoWeek): string {
  return formatDays(weekStartDays(w));
}

/** Sunday of the week, "YYYY-MM-DD". */
export function weekEndDate(w: IsoWeek): string {
  return formatDays(weekStartDays(w) + 6);
}

export function addWeeks(w: IsoWeek, n: number): IsoWeek {
  if (!Number.isInteger(n)) {
    throw new AppError(
      "invalid_argument",
      `addWeeks needs a whole number, got ${n}`,
      "That week is not valid.",
    );
  }
  return isoWeekOfDays(weekStartDays(w) + n * 7);
}

export function compareWeeks(a: IsoWeek, b: IsoWeek): number {
  return a.year - b.year || a.week - b.week;
}

// Building a formatter is costly; a zone's formatter is reused for every later call.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        hourCycle: "h23",
      });
    } catch (cause) {
      throw new AppError(
        "invalid_timezone",
        `Unknown time zone ${JSON.stringify(timeZone)}`,
        `"${timeZone}" is not a known time zone. Use an IANA name such as Europe/Berlin.`,
        { cause },
      );
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock time of an instant, as day number and milliseconds into that day. */
function wallClock(instantMs: number, timeZone: string): { days: number; msOfDay: number } {
  if (!Number.isFinite(instantMs)) {
    throw new AppError(
      "invalid_date",
      "Invalid Date passed to a week function",
      "That time is not valid.",
    );
  }
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = parts;
  return {
    days: daysFromCivil(year, month, day),
    msOfDay: ((hour * 60 + minute) * 60 + second) * 1000 + (((instantMs % 1000) + 1000) % 1000),
  };
}

/** Local time minus UTC at that instant, in milliseconds. */
function offsetAt(instantMs: number, timeZone: string): number {
  const { days, msOfDay } = wallClock(instantMs, timeZone);
  return days * MS_PER_DAY + msOfDay - instantMs;
}

/** The local calendar date "YYYY-MM-DD" of an instant in a time zone. */
export function dateInZone(instant: Date, timeZone: string): string {
  return formatDays(wallClock(instant.getTime(), timeZone).days);
}

/** The date `n` days after (negative: before) a date "YYYY-MM-DD". */
export function addDays(date: string, n: number): string {
  return formatDays(parseDateToDays(date) + n);
}

/**
 * The instant a local wall-clock time (milliseconds into the day) occurs on a date. When it occurs
 * twice (clocks set back), the first one; when it does not exist (clocks jump over it), the first
 * instant after the gap: what was meant for 02:30 happens at 03:00, not a week or a day later.
 */
export function localTime(date: string, msOfDay: number, timeZone: string): Date {
  const wall = parseDateToDays(date) * MS_PER_DAY + msOfDay;
  // Any offset in force around that time is in force a day before or after it, or at it.
  const offsets = new Set([
    offsetAt(wall - MS_PER_DAY, timeZone),
    offsetAt(wall, timeZone),
    offsetAt(wall + MS_PER_DAY, timeZone),
  ]);
  const candidates = [...offsets].map((offset) => wall - offset);
  const valid = candidates.filter((c) => c + offsetAt(c, timeZone) === wall);
  if (valid.length > 0) return new Date(Math.min(...valid));
  // In a gap: the clocks moved forward between the earliest and the latest reading of the time.
  return new Date(gapEnd(Math.min(...candidates), Math.max(...candidates), timeZone));
}

/** The first instant in (before, after] whose offset is that at `after`: when the clocks moved. */
function gapEnd(before: number, after: number, timeZone: string): number {
  const offsetAfter = offsetAt(after, timeZone);
  let low = before;
  let high = after;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timeZone) === offsetAfter) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * The instant of 00:00 local time on a date. When midnight occurs twice (clocks set back to it),
 * the first one; when it does not exist (clocks jump over it), the first instant after the gap.
 */
export function localMidnight(date: string, timeZone: string): Date {
  return localTime(date, 0, timeZone);
}

/** The week an instant falls in, in the zone's local calendar. */
export function isoWeekOf(instant: Date, timeZone: string): IsoWeek {
  return isoWeekOfDays(wallClock(instant.getTime(), timeZone).days);
}

/** [start, end): Monday 00:00 local to the next Monday 00:00 local, so 167–169 h across DST. */
export function weekBounds(w: IsoWeek, timeZone: string): { start: Date; end: Date } {
  const startDays = weekStartDays(w);
  return {
    start: localMidnight(formatDays(startDays), timeZone),
    end: localMidnight(formatDays(startDays + 7), timeZone),
  };
}

/** The week before the one `now` is in: the last week that has fully ended. */
export function lastCompleteWeek(now: Date, timeZone: string): IsoWeek {
  return addWeeks(isoWeekOf(now, timeZone), -1);
}
