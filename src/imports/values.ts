import { localTime } from "../domain/week.ts";

// Numbers and times as exports write them. Each parser answers undefined for text it cannot read
// with certainty, so the caller reports the cell rather than guessing.

/** Which character separates the decimals: "1,234.50" ("."), or "1.234,50" (","). */
export type DecimalMark = "." | ",";

/** Cells that mean "no value" in vendors' exports (Google Ads writes "--"). */
const NO_VALUE = new Set(["", "--", "-", "—", "N/A", "n/a"]);

/** 1.5e-7, as programs write very small or large numbers. */
const SCIENTIFIC = /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;
const LEADING_CURRENCY = /^(?:[A-Z]{3}\s?)?[$€£¥₹]?/;
const TRAILING_CURRENCY = /[$€£¥₹]?(?:\s?[A-Z]{3})?$/;
// Spaces (also no-break and narrow no-break) and apostrophes group thousands in some locales.
const GROUP_SPACES = /[\s\u00a0\u202f']/g;

export function isNoValue(text: string): boolean {
  return NO_VALUE.has(text.trim());
}

/**
 * A number as an export writes it: thousands separators in groups of three, currency symbols or
 * codes, a percent sign (kept as written: "12.5%" is 12.5), a minus or accounting parentheses.
 */
export function parseNumber(text: string, decimal: DecimalMark = "."): number | undefined {
  let rest = text.trim();
  if (decimal === "." && SCIENTIFIC.test(rest)) return Number(rest);
  let sign = 1;
  const parenthesised = /^\((.*)\)$/.exec(rest);
  if (parenthesised) {
    sign = -1;
    rest = parenthesised[1] ?? "";
  }
  if (rest.startsWith("-") || rest.startsWith("−")) {
    sign = -sign;
    rest = rest.slice(1);
  }
  rest = rest
    .replace(/\s?%$/, "")
    .replace(LEADING_CURRENCY, "")
    .replace(TRAILING_CURRENCY, "")
    .trim();
  if (rest.startsWith("-") && sign === 1) {
    sign = -1;
    rest = rest.slice(1);
  }
  const group = decimal === "." ? "," : ".";
  rest = rest.replace(GROUP_SPACES, "");
  const [whole = "", fraction, extra] = rest.split(decimal);
  if (extra !== undefined || whole === "") return undefined;
  const grouped = whole.includes(group);
  if (grouped ? !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(whole) : !/^\d+$/.test(whole))
    return undefined;
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return undefined;
  const value = Number(`${whole.split(group).join("")}${fraction ? `.${fraction}` : ""}`);
  return Number.isFinite(value) ? sign * value : undefined;
}

/** Which comes first in an all-digit date like 11/12/2026: month (US) or day. */
export type DateOrder = "mdy" | "dmy";

/**
 * A time read from a cell: an instant when the cell carries its offset, else a local date with
 * an optional wall-clock time, which only a timezone turns into an instant.
 */
export type ReadTime =
  | { kind: "instant"; at: Date }
  | { kind: "local"; date: string; msOfDay: number | undefined };

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
] as const;

const ISO_WITH_OFFSET =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,9})?\s*([AP]\.?M\.?)?$/i;

/**
 * The time in a cell: ISO 8601 (`2026-11-16T09:30:00.000+0000`, `2026-11-09 17:09`), compact
 * `20261116`, `11/16/2026, 3:04 PM` (or day first, by `order`), `16.11.2026`, `Nov 16, 2026`,
 * `16 Nov 2026`, each with an optional time. Undefined when it is none of these or no such day.
 */
export function readTime(text: string, order: DateOrder = "mdy"): ReadTime | undefined {
  const trimmed = text.trim();
  const iso = ISO_WITH_OFFSET.exec(trimmed);
  if (iso) {
    const [, date = "", hh, mm, ss = "00", fraction = "", zone = "Z"] = iso;
    if (!isCalendarDate(date) || !isClock(Number(hh), Number(mm), Number(ss))) return undefined;
    const offset = zone.toUpperCase() === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    const at = new Date(`${date}T${hh}:${mm}:${ss}${fraction.slice(0, 4)}${offset}`);
    return Number.isNaN(at.getTime()) ? undefined : { kind: "instant", at };
  }
  const split = splitDateAndClock(trimmed);
  if (!split) return undefined;
  const date = readDate(split.date, order);
  if (!date) return undefined;
  if (split.clock === undefined) return { kind: "local", date, msOfDay: undefined };
  const msOfDay = readClock(split.clock);
  return msOfDay === undefined ? undefined : { kind: "local", date, msOfDay };
}

const MS_PER_DAY = 86_400_000;
/** Per zone and date: the zone's offset when it holds all day, or null on a day the clocks change. */
const dayOffsets = new Map<string, number | null>();

/** The instant a read time stands for; a local one in `timeZone`, a bare date at its midnight. */
export function instantOf(time: ReadTime, timeZone: string): Date {
  if (time.kind === "instant") return time.at;
  const msOfDay = time.msOfDay ?? 0;
  // An export's rows share few dates: the zone is asked about each date once, not each row.
  const key = `${timeZone}|${time.date}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const midnight = Date.parse(`${time.date}T00:00:00Z`);
    const start = midnight - localTime(time.date, 0, timeZone).getTime();
    const end =
      midnight + MS_PER_DAY - 1 - localTime(time.date, MS_PER_DAY - 1, timeZone).getTime();
    offset = start === end ? start : null;
    dayOffsets.set(key, offset);
  }
  if (offset === null) return localTime(time.date, msOfDay, timeZone);
  return new Date(Date.parse(`${time.date}T00:00:00Z`) + msOfDay - offset);
}

function splitDateAndClock(text: string): { date: string; clock: string | undefined } | undefined {
  const clockAt = /[ T,]+(\d{1,2}:\d{2}.*)$/.exec(text);
  if (!clockAt) return { date: text, clock: undefined };
  return { date: text.slice(0, clockAt.index).trim(), clock: clockAt[1] };
}

function readDate(text: string, order: DateOrder): string | undefined {
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match) return calendarDate(match[1], match[2], match[3]);
  match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (match) {
    // A dotted date is day first wherever it is written.
    const dayFirst = order === "dmy" || text.includes(".");
    return dayFirst
      ? calendarDate(match[3], match[2], match[1])
      : calendarDate(match[3], match[1], match[2]);
  }
  match = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(text);
  if (match) return calendarDate(match[3], monthNumber(match[1]), match[2]);
  match = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$/.exec(text);
  if (match) return calendarDate(match[3], monthNumber(match[2]), match[1]);
  return undefined;
}

function monthNumber(name: string | undefined): string | undefined {
  const lower = (name ?? "").toLowerCase();
  // "Nov", "Nov." and "November" are November (and "Sept" September); "Novem" is no month.
  const index = MONTHS.findIndex(
    (month) =>
      lower === month || lower === month.slice(0, 3) || (lower === "sept" && month === "september"),
  );
  return index < 0 ? undefined : String(index + 1);
}

function calendarDate(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
): string | undefined {
  if (!year || !month || !day) return undefined;
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  return isCalendarDate(date) ? date : undefined;
}

function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

function isClock(hours: number, minutes: number, seconds: number): boolean {
  return hours <= 23 && minutes <= 59 && seconds <= 59;
}

function readClock(text: string): number | undefined {
  const match = CLOCK.exec(text.trim());
  if (!match) return undefined;
  let hours = Number(match[1]);
  const minutes = Number(match[2]);
  const seconds = Number(match[3] ?? 0);
  const meridiem = match[4]?.replace(/\./g, "").toUpperCase();
  if (meridiem) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (meridiem === "PM" ? 12 : 0);
  }
  if (!isClock(hours, minutes, seconds)) return undefined;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}
