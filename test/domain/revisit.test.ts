import { describe, expect, it } from "vitest";
import {
  defaultRevisitOn,
  initialRevisitOn,
  revisitDateProblem,
} from "../../src/domain/revisit.ts";

describe("a not-yet verdict's revisit date", () => {
  it("defaults to 90 days on, across a year's end", () => {
    expect(defaultRevisitOn("2026-12-06")).toBe("2027-03-06");
  });

  it("must be after today and within a year", () => {
    expect(revisitDateProblem("2026-12-06", "2026-12-06")).toContain("after today");
    expect(revisitDateProblem("2026-11-30", "2026-12-06")).toContain("after today");
    expect(revisitDateProblem("2026-12-07", "2026-12-06")).toBeUndefined();
    expect(revisitDateProblem("2027-12-06", "2026-12-06")).toBeUndefined();
    expect(revisitDateProblem("2027-12-07", "2026-12-06")).toContain("within a year");
  });

  it("starts the picker on a not-yet verdict's own date while it is ahead, else the default", () => {
    const today = "2026-12-06";
    expect(initialRevisitOn(null, today)).toBe("2027-03-06");
    expect(initialRevisitOn({ verdict: "not_yet", revisitOn: "2027-01-15" }, today)).toBe(
      "2027-01-15",
    );
    expect(initialRevisitOn({ verdict: "not_yet", revisitOn: today }, today)).toBe("2027-03-06");
    expect(initialRevisitOn({ verdict: "fit", revisitOn: null }, today)).toBe("2027-03-06");
  });
});
