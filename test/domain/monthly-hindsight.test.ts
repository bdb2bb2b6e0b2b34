import { describe, expect, it } from "vitest";
import { lastMatureMonths, opensMonth } from "../../src/domain/monthly-hindsight.ts";
import { addWeeks, formatIsoWeek, parseIsoWeek, weekEndDate } from "../../src/domain/week.ts";

describe("the digest that opens a month", () => {
  it("is the one reporting the first week to end in the month (its Sunday on the 1st to the 7th)", () => {
    expect(opensMonth(parseIsoWeek("2026-W49"))).toBe(true); // Mon 30 Nov – Sun 6 Dec
    expect(opensMonth(parseIsoWeek("2026-W48"))).toBe(false); // 23 – 29 Nov
    expect(opensMonth(parseIsoWeek("2026-W50"))).toBe(false); // 7 – 13 Dec
    expect(opensMonth(parseIsoWeek("2026-W40"))).toBe(true); // 28 Sep – Sun 4 Oct
    expect(opensMonth(parseIsoWeek("2026-W23"))).toBe(true); // 1 – Sun 7 Jun
    expect(opensMonth(parseIsoWeek("2026-W44"))).toBe(true); // 26 Oct – Sun 1 Nov
  });

  it("comes exactly once in every month, across a year's turn", () => {
    const opening = new Map<string, string[]>();
    for (let w = parseIsoWeek("2025-W50"), i = 0; i < 70; i += 1, w = addWeeks(w, 1)) {
      if (!opensMonth(w)) continue;
      const month = weekEndDate(w).slice(0, 7);
      opening.set(month, [...(opening.get(month) ?? []), formatIsoWeek(w)]);
    }
    expect([...opening.values()].every((weeks) => weeks.length === 1)).toBe(true);
    expect(opening.size).toBe(16);
    expect(opening.get("2027-01")).toEqual(["2026-W53"]); // 28 Dec – Sun 3 Jan
  });
});

describe("the newest mature months", () => {
  it("are the three newest calendar months past the conversion window", () => {
    // June's window (180 days from 1 July) ends on 28 December; May's ended on 28 November.
    expect(lastMatureMonths("2026-12-06", 180)).toEqual({
      since: "2026-03-01",
      until: "2026-05-31",
    });
    expect(lastMatureMonths("2026-12-27", 180)).toEqual({
      since: "2026-03-01",
      until: "2026-05-31",
    });
    expect(lastMatureMonths("2026-12-28", 180)).toEqual({
      since: "2026-04-01",
      until: "2026-06-30",
    });
  });

  it("follow the workspace's window and count, across a year's turn", () => {
    expect(lastMatureMonths("2027-01-10", 30)).toEqual({
      since: "2026-09-01",
      until: "2026-11-30",
    });
    expect(lastMatureMonths("2027-02-15", 0, 1)).toEqual({
      since: "2027-01-01",
      until: "2027-01-31",
    });
    expect(lastMatureMonths("2027-03-01", 0, 4)).toEqual({
      since: "2026-11-01",
      until: "2027-02-28",
    });
  });
});
