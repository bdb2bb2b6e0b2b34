import { describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/app-error.ts";
import {
  aggregateWeek,
  campaignWeekFigures,
  change,
  costPerFitLead,
  countVerdicts,
  fitRate,
  formatChange,
  formatCount,
  formatMoney,
  formatPercent,
  isOverdue,
  rejectedDespiteDefinition,
  reviewCoverage,
  targetProgress,
  trailingAverage,
} from "../../src/domain/figures.ts";
import type { VerdictEvent } from "../../src/domain/verdict.ts";
import { NOTHING_COUNTED } from "./empty-figures.ts";

describe("fitRate", () => {
  it("is fit / (fit + not_fit), leaving not_yet out", () => {
    expect(fitRate({ fit: 3, notYet: 5, notFit: 1 })).toBe(0.75);
    expect(fitRate({ fit: 3, notYet: 0, notFit: 1 })).toBe(0.75);
    expect(fitRate({ fit: 0, notYet: 2, notFit: 4 })).toBe(0);
  });

  it("is null when there is nothing to divide by", () => {
    expect(fitRate({ fit: 0, notYet: 0, notFit: 0 })).toBeNull();
    expect(fitRate({ fit: 0, notYet: 7, notFit: 0 })).toBeNull();
  });
});

describe("countVerdicts", () => {
  it("counts each verdict, the reviewed and the created leads", () => {
    const counts = countVerdicts(["fit", "not_yet", undefined, "not_fit", "fit", undefined]);
    expect(counts).toEqual({ fit: 2, notYet: 1, notFit: 1, reviewed: 4, created: 6 });
    expect(fitRate(counts)).toBeCloseTo(2 / 3);
    expect(reviewCoverage(counts.reviewed, counts.created)).toBeCloseTo(4 / 6);
  });
});

describe("reviewCoverage", () => {
  it("is reviewed / created, null without leads", () => {
    expect(reviewCoverage(9, 12)).toBe(0.75);
    expect(reviewCoverage(0, 5)).toBe(0);
    expect(reviewCoverage(0, 0)).toBeNull();
  });
});

describe("isOverdue", () => {
  const created = new Date("2026-11-16T09:00:00Z");
  const at = (iso: string) => new Date(iso);

  it("is true only for unreviewed leads past the SLA", () => {
    expect(isOverdue(created, undefined, at("2026-11-18T09:00:01Z"), 48)).toBe(true);
    expect(isOverdue(created, undefined, at("2026-11-18T09:00:00Z"), 48)).toBe(false);
    expect(isOverdue(created, undefined, at("2026-11-17T09:00:00Z"), 48)).toBe(false);
    expect(isOverdue(created, at("2026-11-17T10:00:00Z"), at("2026-11-20T00:00:00Z"), 48)).toBe(
      false,
    );
  });

  it("ignores a review that comes after now", () => {
    expect(isOverdue(created, at("2026-11-21T00:00:00Z"), at("2026-11-20T00:00:00Z"), 48)).toBe(
      true,
    );
  });
});

describe("costPerFitLead", () => {
  it("is spend / fit leads", () => {
    expect(costPerFitLead(1200, 8)).toBe(150);
    expect(costPerFitLead(0, 4)).toBe(0);
  });

  it("is null without fit leads or without spend", () => {
    expect(costPerFitLead(1200, 0)).toBeNull();
    expect(costPerFitLead(null, 8)).toBeNull();
  });
});

describe("campaignWeekFigures", () => {
  it("puts a campaign's spend beside its week's leads: fit rate without 'not yet', cost per fit lead", () => {
    expect(
      campaignWeekFigures(900, { created: 7, reviewed: 6, fit: 3, notYet: 2, notFit: 1 }),
    ).toEqual({
      spend: 900,
      leads: 7,
      reviewed: 6,
      fit: 3,
      notYet: 2,
      notFit: 1,
      fitRate: 0.75,
      costPerFitLead: 300,
    });
  });

  it("counts nothing for a campaign without leads that week, and leaves its ratios unknown", () => {
    expect(campaignWeekFigures(null, undefined)).toEqual(NOTHING_COUNTED);
  });
});

describe("change", () => {
  it("gives absolute and relative change", () => {
    expect(change(120, 100)).toEqual({ absolute: 20, relative: 0.2 });
    expect(change(75, 100)).toEqual({ absolute: -25, relative: -0.25 });
    expect(change(-5, -10)).toEqual({ absolute: 5, relative: 0.5 });
  });

  it("has no relative change from zero, and no change from unknown", () => {
    expect(change(45, 0)).toEqual({ absolute: 45, relative: null });
    expect(change(45, null)).toBeNull();
    expect(change(null, 10)).toBeNull();
  });
});

describe("trailingAverage", () => {
  it("averages the known weeks, skipping gaps", () => {
    expect(trailingAverage([10, 20, 30, 40])).toBe(25);
    expect(trailingAverage([10, null, 30, null])).toBe(20);
    expect(trailingAverage([0, null])).toBe(0);
  });

  it("is null when no week is known", () => {
    expect(trailingAverage([null, null, null, null])).toBeNull();
    expect(trailingAverage([])).toBeNull();
  });
});

describe("targetProgress", () => {
  it("is value / target when higher is better", () => {
    expect(targetProgress(40, 50, "higher")).toBe(0.8);
    expect(targetProgress(60, 50, "higher")).toBe(1.2);
  });

  it("is target / value when lower is better", () => {
    expect(targetProgress(200, 160, "lower")).toBe(0.8);
    expect(targetProgress(100, 160, "lower")).toBe(1.6);
  });

  it("is null without a value, a target or a non-zero divisor", () => {
    expect(targetProgress(null, 50, "higher")).toBeNull();
    expect(targetProgress(40, null, "higher")).toBeNull();
    expect(targetProgress(40, 0, "higher")).toBeNull();
    expect(targetProgress(0, 160, "lower")).toBeNull();
  });
});

describe("rejectedDespiteDefinition", () => {
  const event = (
    verdict: VerdictEvent["verdict"],
    definitionStatus: VerdictEvent["definitionStatus"],
  ) => ({
    verdict,
    definitionStatus,
    givenAt: new Date("2026-11-17T10:00:00Z"),
    reasons: verdict === "not_fit" ? ["no_need"] : [],
  });

  it("counts not_fit verdicts whose snapshot says met", () => {
    const events: VerdictEvent[] = [
      event("not_fit", "met"),
      event("not_fit", "met"),
      event("not_fit", "not_met"),
      event("not_fit", "unknown"),
      event("fit", "met"),
      event("not_yet", "met"),
    ];
    expect(rejectedDespiteDefinition(events)).toBe(2);
    expect(rejectedDespiteDefinition([])).toBe(0);
  });
});

describe("aggregateWeek", () => {
  const days = [3, 5, 4, 8];

  it("sums, averages or takes the last daily value", () => {
    expect(aggregateWeek(days, "sum")).toBe(20);
    expect(aggregateWeek(days, "average")).toBe(5);
    expect(aggregateWeek(days, "last")).toBe(8);
  });

  it("is null without values", () => {
    expect(aggregateWeek([], "sum")).toBeNull();
    expect(aggregateWeek([], "last")).toBeNull();
  });
});

describe("formatting", () => {
  it("formats percentages", () => {
    expect(formatPercent(0.423)).toBe("42%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(null)).toBe("—");
  });

  it("formats changes", () => {
    expect(formatChange({ absolute: 20, relative: 0.2 })).toBe("+20%");
    expect(formatChange({ absolute: -25, relative: -0.25 })).toBe("-25%");
    expect(formatChange({ absolute: 0, relative: 0 })).toBe("0%");
    expect(formatChange({ absolute: 45, relative: null })).toBe("+45");
    expect(formatChange({ absolute: 0.05, relative: 0.125 }, "points")).toBe("+5 pts");
    expect(formatChange({ absolute: -0.1, relative: -0.2 }, "points")).toBe("-10 pts");
    expect(formatChange(null)).toBe("—");
  });

  it("formats money in the workspace currency", () => {
    expect(formatMoney(12.5, "USD")).toBe("$12.50");
    expect(formatMoney(12345.6, "USD")).toBe("$12,346");
    expect(formatMoney(150, "EUR")).toBe("€150");
    expect(formatMoney(150.4, "EUR")).toBe("€150.40");
    expect(formatMoney(null, "USD")).toBe("—");
    expect(() => formatMoney(1, "XX")).toThrow(AppError);
  });

  it("formats counts compactly", () => {
    expect(formatCount(45)).toBe("45");
    expect(formatCount(1234)).toBe("1.2k");
    expect(formatCount(120_000)).toBe("120k");
    expect(formatCount(1_234_567)).toBe("1.2M");
    expect(formatCount(999_950)).toBe("1M");
    expect(formatCount(null)).toBe("—");
  });
});

describe("figures at their edges", () => {
  const at = (iso: string) => new Date(iso);

  it("tells not yet from not a fit when they come in different numbers", () => {
    expect(countVerdicts(["not_yet", "not_yet", "not_yet", "not_fit"])).toEqual({
      fit: 0,
      notYet: 3,
      notFit: 1,
      reviewed: 4,
      created: 4,
    });
  });

  it("counts a review given at the very moment asked about as given: the lead is not overdue", () => {
    const now = at("2026-11-20T00:00:00Z");
    expect(isOverdue(at("2026-11-10T00:00:00Z"), now, now, 48)).toBe(false);
  });

  it("counts as rejected despite the definition only not-a-fit verdicts on leads that met it", () => {
    const event = (verdict: VerdictEvent["verdict"], met: boolean): VerdictEvent => ({
      verdict,
      givenAt: at("2026-11-17T10:00:00Z"),
      reasons: [],
      definitionStatus: met ? "met" : "not_met",
    });
    expect(
      rejectedDespiteDefinition([
        event("not_fit", true),
        event("fit", true),
        event("fit", true),
        event("not_fit", false),
        event("not_fit", false),
      ]),
    ).toBe(1);
  });

  it("shows money from 1,000 on in whole units, and refuses an unknown currency by name", () => {
    expect(formatMoney(1000, "USD")).toBe("$1,000");
    expect(formatMoney(1000.4, "USD")).toBe("$1,000");
    expect(formatMoney(999.5, "USD")).toBe("$999.50");
    const error = (() => {
      try {
        return formatMoney(10, "XQZ1");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "invalid_currency",
      userMessage: '"XQZ1" is not a currency code. Use a three-letter ISO code such as USD or EUR.',
    });
  });
});
