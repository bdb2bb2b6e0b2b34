import { describe, expect, it } from "vitest";
import {
  chartWeeks,
  indexSeries,
  valuesByWeek,
  weekTick,
} from "../../../src/presentation/charts/weeks.ts";
import { metric, series } from "./fixtures.ts";

describe("indexSeries", () => {
  it("is null without a positive value, and counts earlier zeros as 0", () => {
    expect(indexSeries([null, 0, null])).toBeNull();
    expect(indexSeries([0, 10, null, 15])).toEqual([0, 100, null, 150]);
  });
});

describe("weekTick", () => {
  it("shows the year under the first week and where it changes", () => {
    const weeks = ["2026-W51", "2026-W52", "2027-W01", "odd"];
    expect(weeks.map((_, i) => weekTick(weeks, i))).toEqual([
      ["W51", "2026"],
      "W52",
      ["W01", "2027"],
      "odd",
    ]);
  });
});

describe("chartWeeks and valuesByWeek", () => {
  it("put every series on the same weeks, oldest first, with gaps as null", () => {
    const a = metric({ key: "a", series: series([1, 2], ["2026-W02", "2026-W01"]) });
    const b = metric({ key: "b", series: series([3], ["2026-W03"]) });
    const weeks = chartWeeks([a, b]);
    expect(weeks).toEqual(["2026-W01", "2026-W02", "2026-W03"]);
    expect(valuesByWeek(a, weeks)).toEqual([2, 1, null]);
  });
});
