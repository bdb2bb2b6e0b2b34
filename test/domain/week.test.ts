import { describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/app-error.ts";
import {
  addWeeks,
  compareWeeks,
  dateInZone,
  formatIsoWeek,
  type IsoWeek,
  isoWeekOf,
  isoWeekOfDate,
  isValidTimeZone,
  lastCompleteWeek,
  localMidnight,
  parseIsoWeek,
  weekBounds,
  weekEndDate,
  weekStartDate,
  weeksInYear,
} from "../../src/domain/week.ts";

const HOUR = 3_600_000;

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

function hours(bounds: { start: Date; end: Date }): number {
  return (bounds.end.getTime() - bounds.start.getTime()) / HOUR;
}

describe("ISO week numbering", () => {
  it.each([
    ["2026-01-01", { year: 2026, week: 1 }], // a Thursday: week 1 of its own year
    ["2025-12-29", { year: 2026, week: 1 }], // Monday of 2026-W01 is still in 2025
    ["2025-12-28", { year: 2025, week: 52 }],
    ["2027-01-01", { year: 2026, week: 53 }], // a Friday: last week of 2026
    ["2027-01-03", { year: 2026, week: 53 }],
    ["2027-01-04", { year: 2027, week: 1 }],
    ["2020-12-31", { year: 2020, week: 53 }],
    ["2021-01-03", { year: 2020, week: 53 }],
    ["2021-01-04", { year: 2021, week: 1 }],
    ["2024-12-30", { year: 2025, week: 1 }],
    ["2026-11-16", { year: 2026, week: 47 }],
    ["2026-11-22", { year: 2026, week: 47 }],
  ])("%s is in %o", (date, expected) => {
    expect(isoWeekOfDate(date)).toEqual(expected);
  });

  it("knows which years have 53 weeks", () => {
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2021)).toBe(52);
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2027)).toBe(52);
  });

  it("rejects dates that do not exist", () => {
    expect(thrown(() => isoWeekOfDate("2026-02-29")).code).toBe("invalid_date");
    expect(thrown(() => isoWeekOfDate("2026-13-01")).code).toBe("invalid_date");
    expect(thrown(() => isoWeekOfDate("16.11.2026")).code).toBe("invalid_date");
    expect(isoWeekOfDate("2024-02-29")).toEqual({ year: 2024, week: 9 });
  });
});

describe("parseIsoWeek / formatIsoWeek", () => {
  it("parses and zero-pads", () => {
    expect(parseIsoWeek("2026-W47")).toEqual({ year: 2026, week: 47 });
    expect(parseIsoWeek(" 2020-w53 ")).toEqual({ year: 2020, week: 53 });
    expect(formatIsoWeek({ year: 2026, week: 7 })).toBe("2026-W07");
    expect(formatIsoWeek(parseIsoWeek("2026-W01"))).toBe("2026-W01");
  });

  it.each(["2026-47", "2026-W7", "2026-W00", "2026-W54", "2021-W53", "W47", "", "2026-W47x"])(
    "rejects %j with invalid_week and a message for the user",
    (text) => {
      const error = thrown(() => parseIsoWeek(text));
      expect(error.code).toBe("invalid_week");
      expect(error.userMessage).toContain("2026-W47");
    },
  );

  it("says why week 53 is refused in a 52-week year", () => {
    expect(thrown(() => parseIsoWeek("2021-W53")).userMessage).toContain("2021 has weeks 1 to 52");
  });
});

describe("week dates", () => {
  it("gives Monday and Sunday", () => {
    expect(weekStartDate({ year: 2026, week: 47 })).toBe("2026-11-16");
    expect(weekEndDate({ year: 2026, week: 47 })).toBe("2026-11-22");
    expect(weekStartDate({ year: 2026, week: 1 })).toBe("2025-12-29");
    expect(weekEndDate({ year: 2026, week: 53 })).toBe("2027-01-03");
    expect(weekStartDate({ year: 2020, week: 53 })).toBe("2020-12-28");
  });

  it("refuses a week that does not exist", () => {
    expect(thrown(() => weekStartDate({ year: 2021, week: 53 })).code).toBe("invalid_week");
    expect(thrown(() => weekEndDate({ year: 2026, week: 0 })).code).toBe("invalid_week");
  });
});

describe("addWeeks / compareWeeks", () => {
  it.each<[IsoWeek, number, IsoWeek]>([
    [{ year: 2026, week: 47 }, 1, { year: 2026, week: 48 }],
    [{ year: 2026, week: 52 }, 1, { year: 2026, week: 53 }],
    [{ year: 2026, week: 53 }, 1, { year: 2027, week: 1 }],
    [{ year: 2027, week: 1 }, -1, { year: 2026, week: 53 }],
    [{ year: 2022, week: 1 }, -1, { year: 2021, week: 52 }],
    [{ year: 2021, week: 1 }, -1, { year: 2020, week: 53 }],
    [{ year: 2026, week: 10 }, -60, { year: 2025, week: 2 }],
    [{ year: 2026, week: 10 }, 0, { year: 2026, week: 10 }],
    // 2025 has 52 weeks and 2026 has 53.
    [{ year: 2025, week: 1 }, 52 + 53, { year: 2027, week: 1 }],
  ])("%o + %i weeks = %o", (from, n, expected) => {
    expect(addWeeks(from, n)).toEqual(expected);
  });

  it("orders weeks across years", () => {
    expect(compareWeeks({ year: 2026, week: 53 }, { year: 2027, week: 1 })).toBeLessThan(0);
    expect(compareWeeks({ year: 2026, week: 10 }, { year: 2026, week: 9 })).toBeGreaterThan(0);
    expect(compareWeeks({ year: 2026, week: 10 }, { year: 2026, week: 10 })).toBe(0);
  });
});

describe("weekBounds", () => {
  it("Europe/Berlin, spring forward on Sunday 2026-03-29: 167 h", () => {
    const b = weekBounds({ year: 2026, week: 13 }, "Europe/Berlin");
    expect(b.start.toISOString()).toBe("2026-03-22T23:00:00.000Z"); // Monday 00:00 CET
    expect(b.end.toISOString()).toBe("2026-03-29T22:00:00.000Z"); // next Monday 00:00 CEST
    expect(hours(b)).toBe(167);
  });

  it("Europe/Berlin, fall back on Sunday 2026-10-25: 169 h", () => {
    const b = weekBounds({ year: 2026, week: 43 }, "Europe/Berlin");
    expect(b.start.toISOString()).toBe("2026-10-18T22:00:00.000Z");
    expect(b.end.toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(hours(b)).toBe(169);
  });

  it("America/New_York, fall back on Sunday 2026-11-01: 169 h", () => {
    const b = weekBounds({ year: 2026, week: 44 }, "America/New_York");
    expect(b.start.toISOString()).toBe("2026-10-26T04:00:00.000Z"); // EDT
    expect(b.end.toISOString()).toBe("2026-11-02T05:00:00.000Z"); // EST
    expect(hours(b)).toBe(169);
  });

  it("America/New_York, spring forward on Sunday 2026-03-08: 167 h", () => {
    const b = weekBounds({ year: 2026, week: 10 }, "America/New_York");
    expect(b.start.toISOString()).toBe("2026-03-02T05:00:00.000Z");
    expect(b.end.toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(hours(b)).toBe(167);
  });

  it("UTC, across the year boundary: 168 h", () => {
    const b = weekBounds({ year: 2026, week: 1 }, "UTC");
    expect(b.start.toISOString()).toBe("2025-12-29T00:00:00.000Z");
    expect(b.end.toISOString()).toBe("2026-01-05T00:00:00.000Z");
    expect(hours(b)).toBe(168);
  });

  it("Asia/Kolkata, a half-hour offset: 168 h", () => {
    const b = weekBounds({ year: 2026, week: 47 }, "Asia/Kolkata");
    expect(b.start.toISOString()).toBe("2026-11-15T18:30:00.000Z");
    expect(b.end.toISOString()).toBe("2026-11-22T18:30:00.000Z");
    expect(hours(b)).toBe(168);
  });

  it("consecutive weeks share their boundary", () => {
    const w = { year: 2026, week: 53 };
    expect(weekBounds(w, "America/New_York").end).toEqual(
      weekBounds(addWeeks(w, 1), "America/New_York").start,
    );
  });
});

describe("localMidnight", () => {
  it("gives 00:00 local time", () => {
    expect(localMidnight("2026-07-01", "Europe/Berlin").toISOString()).toBe(
      "2026-06-30T22:00:00.000Z",
    );
    expect(localMidnight("2026-01-01", "Pacific/Auckland").toISOString()).toBe(
      "2025-12-31T11:00:00.000Z",
    );
  });

  it("gives the first valid instant when midnight is skipped", () => {
    // Beirut jumps from 00:00 to 01:00 on 2026-03-29; Santiago on 2026-09-06.
    expect(localMidnight("2026-03-29", "Asia/Beirut").toISOString()).toBe(
      "2026-03-28T22:00:00.000Z",
    );
    expect(localMidnight("2026-09-06", "America/Santiago").toISOString()).toBe(
      "2026-09-06T04:00:00.000Z",
    );
  });

  it("gives the first of two midnights when clocks go back to it", () => {
    // Havana goes from 01:00 back to 00:00 on 2026-11-01.
    expect(localMidnight("2026-11-01", "America/Havana").toISOString()).toBe(
      "2026-11-01T04:00:00.000Z",
    );
  });
});

describe("isoWeekOf / dateInZone", () => {
  it("uses the zone's local calendar", () => {
    const sundayNightUtc = new Date("2026-01-04T23:30:00Z");
    expect(dateInZone(sundayNightUtc, "UTC")).toBe("2026-01-04");
    expect(dateInZone(sundayNightUtc, "Asia/Kolkata")).toBe("2026-01-05");
    expect(isoWeekOf(sundayNightUtc, "UTC")).toEqual({ year: 2026, week: 1 });
    expect(isoWeekOf(sundayNightUtc, "Asia/Kolkata")).toEqual({ year: 2026, week: 2 });
  });

  it("handles the year edge", () => {
    const instant = new Date("2027-01-04T03:00:00Z");
    expect(isoWeekOf(instant, "America/New_York")).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf(instant, "Europe/Berlin")).toEqual({ year: 2027, week: 1 });
  });

  it("rejects an unknown zone", () => {
    expect(thrown(() => isoWeekOf(new Date(0), "Mars/Olympus")).code).toBe("invalid_timezone");
  });
});

describe("lastCompleteWeek", () => {
  it("on Monday 00:30 local, the week that just ended", () => {
    const mondayEarly = new Date("2026-11-22T23:30:00Z"); // Mon 2026-11-23 00:30 CET
    expect(lastCompleteWeek(mondayEarly, "Europe/Berlin")).toEqual({ year: 2026, week: 47 });
    // Same instant is still Sunday in UTC, so W47 is not complete there.
    expect(lastCompleteWeek(mondayEarly, "UTC")).toEqual({ year: 2026, week: 46 });
  });

  it("on Sunday 23:30 local, the week before the current one", () => {
    const sundayLate = new Date("2026-11-22T22:30:00Z"); // Sun 2026-11-22 23:30 CET
    expect(lastCompleteWeek(sundayLate, "Europe/Berlin")).toEqual({ year: 2026, week: 46 });
  });

  it("crosses into the previous year", () => {
    const firstMonday = new Date("2027-01-04T09:00:00Z");
    expect(lastCompleteWeek(firstMonday, "UTC")).toEqual({ year: 2026, week: 53 });
  });
});

describe("isValidTimeZone", () => {
  it("accepts IANA names and refuses others", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Europe/Atlantis")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});
