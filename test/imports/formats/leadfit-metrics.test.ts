import { describe, expect, it } from "vitest";
import { leadfitMetrics } from "../../../src/imports/formats/leadfit-metrics.ts";

describe("leadfitMetrics", () => {
  it("reads a plain decimal as a number and passes anything else on as text", () => {
    const row = (value: string) =>
      leadfitMetrics.toInput(
        new Map([
          ["metric", "mqls"],
          ["period", "2026-W47"],
          ["value", value],
        ]),
      );
    expect(row("-1.5e3")).toEqual({
      metric: "mqls",
      campaign: null,
      period: "2026-W47",
      value: -1500,
      source: "csv",
    });
    expect(row("1,000")).toMatchObject({ value: "1,000" });
    expect(row("0x10")).toMatchObject({ value: "0x10" });
  });

  it("refuses undocumented columns", () => {
    expect(leadfitMetrics.extraColumns([{ name: "colour" }], 1)).toEqual([
      {
        index: 1,
        field: "colour",
        message:
          "Unknown column: metric files have the columns metric, campaign, period, value, source",
      },
    ]);
  });
});
