import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateInZone, isoWeekOf, isoWeekOfDate } from "../../src/domain/week.ts";
import { instantOf, parseNumber, readTime } from "../../src/imports/values.ts";

// Numbers and times as exports write them, read back: whatever the locale, the zone or the day.

const ZONES = [
  "UTC",
  "America/New_York",
  "America/Los_Angeles",
  "Europe/Berlin",
  "Europe/London",
  "Australia/Sydney",
  "Asia/Kolkata",
  // Midnight does not exist on its spring-forward day: a date alone still belongs to that day.
  "America/Santiago",
  "America/Havana",
];
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

const cents = fc.integer({ min: -99_999_999_999, max: 99_999_999_999 });
const day = fc
  .date({
    min: new Date("1990-01-01T00:00:00Z"),
    max: new Date("2090-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const zone = fc.constantFrom(...ZONES);
const pad = (n: number) => String(n).padStart(2, "0");

describe("numbers as exports write them", () => {
  it("read back from US and European grouping, with currency and percent signs", () => {
    fc.assert(
      fc.property(cents, fc.constantFrom("", "$", "€ ", "USD "), (n, currency) => {
        const value = n / 100;
        const us = value.toLocaleString("en-US", { minimumFractionDigits: 2 });
        const de = value.toLocaleString("de-DE", { minimumFractionDigits: 2 });
        const signed = (text: string) =>
          text.startsWith("-") ? `-${currency}${text.slice(1)}` : `${currency}${text}`;
        expect(parseNumber(signed(us), ".")).toBe(value);
        expect(parseNumber(`${de} €`, ",")).toBe(value);
        expect(parseNumber(`${us}%`, ".")).toBe(value);
      }),
    );
  });

  it("refuse grouping that is not in threes rather than guess", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }), (a, b) => {
        expect(parseNumber(`${a},${pad(b)}`, ".")).toBeUndefined();
        expect(parseNumber(`${a}.${pad(b)}`, ",")).toBeUndefined();
      }),
    );
  });
});

describe("dates as exports write them", () => {
  it("read back as the same calendar day in every layout", () => {
    fc.assert(
      fc.property(day, (date) => {
        const [y, m, d] = date.split("-").map(Number) as [number, number, number];
        const layouts = [
          date,
          date.replaceAll("-", ""),
          `${m}/${d}/${y}`,
          `${MONTH_NAMES[m - 1]} ${d}, ${y}`,
          `${d} ${MONTH_NAMES[m - 1]} ${y}`,
          `${pad(d)}.${pad(m)}.${y}`,
        ];
        for (const text of layouts)
          expect(readTime(text, "mdy")).toEqual({ kind: "local", date, msOfDay: undefined });
        expect(readTime(`${d}/${m}/${y}`, "dmy")).toEqual({
          kind: "local",
          date,
          msOfDay: undefined,
        });
      }),
    );
  });

  it("keep an ISO offset however it is written (Z, +01:00, +0100)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1990-01-01T00:00:00Z"),
          max: new Date("2090-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: -12 * 4, max: 14 * 4 }),
        (instant, quarters) => {
          const offsetMinutes = quarters * 15;
          const local = new Date(instant.getTime() + offsetMinutes * 60_000)
            .toISOString()
            .slice(0, 23);
          const sign = offsetMinutes < 0 ? "-" : "+";
          const hh = pad(Math.floor(Math.abs(offsetMinutes) / 60));
          const mm = pad(Math.abs(offsetMinutes) % 60);
          for (const offset of [`${sign}${hh}:${mm}`, `${sign}${hh}${mm}`])
            expect(readTime(`${local}${offset}`)).toEqual({ kind: "instant", at: instant });
        },
      ),
    );
  });

  it("put a date without a time on that local day and in its week, in any zone, DST days included", () => {
    fc.assert(
      fc.property(day, zone, (date, timeZone) => {
        const [y, m, d] = date.split("-").map(Number) as [number, number, number];
        const at = instantOf(readTime(`${m}/${d}/${y}`) ?? fail(date), timeZone);
        expect(dateInZone(at, timeZone)).toBe(date);
        expect(isoWeekOf(at, timeZone)).toEqual(isoWeekOfDate(date));
      }),
      { numRuns: 300 },
    );
  });

  it("read a wall-clock time in the zone given: 12-hour or 24-hour, the same instant", () => {
    fc.assert(
      fc.property(
        day,
        zone,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (date, timeZone, h, min) => {
          const [y, m, d] = date.split("-").map(Number) as [number, number, number];
          const twelve = `${m}/${d}/${y}, ${h % 12 === 0 ? 12 : h % 12}:${pad(min)} ${h < 12 ? "AM" : "PM"}`;
          const iso = `${date} ${pad(h)}:${pad(min)}`;
          const a = instantOf(readTime(twelve) ?? fail(twelve), timeZone);
          expect(instantOf(readTime(iso) ?? fail(iso), timeZone)).toEqual(a);
          // The wall clock reads back unless the clocks jumped over it that day (then just after).
          const shown = new Intl.DateTimeFormat("en-CA", {
            timeZone,
            hourCycle: "h23",
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
            hour: "2-digit",
            minute: "2-digit",
          }).format(a);
          const back = shown.replace(",", "");
          if (back !== `${date} ${pad(h)}:${pad(min)}`) expect(dateInZone(a, timeZone)).toBe(date);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuse days that do not exist", () => {
    for (const text of [
      "2/30/2026",
      "20260230",
      "Feb 29, 2026",
      "2026-13-01",
      "11/16/2026, 13:04 PM",
    ])
      expect(readTime(text)).toBeUndefined();
  });
});

function fail(text: string): never {
  throw new Error(`${text} was not read`);
}
