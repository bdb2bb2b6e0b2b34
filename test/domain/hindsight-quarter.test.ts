import { describe, expect, it } from "vitest";
import { lastMatureQuarter } from "../../src/domain/hindsight-quarter.ts";

describe("last mature quarter", () => {
  it("is the newest quarter the conversion window has passed since", () => {
    // 2026-Q2 ends as 1 July begins; 180 days after that is 28 December.
    expect(lastMatureQuarter("2026-12-27", 180)).toEqual({
      label: "2026-Q1",
      since: "2026-01-01",
      until: "2026-03-31",
    });
    expect(lastMatureQuarter("2026-12-28", 180)).toEqual({
      label: "2026-Q2",
      since: "2026-04-01",
      until: "2026-06-30",
    });
  });

  it("reaches back across years, and to the last quarter with no window", () => {
    expect(lastMatureQuarter("2026-02-10", 180).label).toBe("2025-Q2");
    expect(lastMatureQuarter("2026-01-01", 0)).toEqual({
      label: "2025-Q4",
      since: "2025-10-01",
      until: "2025-12-31",
    });
  });
});
