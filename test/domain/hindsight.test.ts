import { describe, expect, it } from "vitest";
import {
  cohortStarts,
  type HindsightGroup,
  type HindsightInput,
  hindsightFigures,
  isProvisional,
  periodEndingOn,
} from "../../src/domain/hindsight.ts";

const group = (overrides: Partial<HindsightGroup>): HindsightGroup => ({
  campaignKey: "spring",
  cohortStart: "2026-03-01",
  verdict: "fit",
  metDefinition: false,
  rep: "U0ALEX",
  leads: 1,
  reachedOpportunity: 0,
  won: 0,
  wonAmount: 0,
  ...overrides,
});

const input = (overrides: Partial<HindsightInput>): HindsightInput => ({
  since: "2026-01-01",
  until: "2026-12-06",
  today: "2026-12-06",
  cohortSize: "month",
  conversionWindowDays: 180,
  groups: [],
  medianDaysToOpportunity: { total: null, campaigns: new Map(), cohorts: new Map() },
  reasons: [],
  reasonLabels: new Map(),
  spend: [],
  rejectedThenBought: [],
  perRep: false,
  ...overrides,
});

describe("hindsight figures", () => {
  it("cut a period into the weeks or months that cover it, partial ones included", () => {
    expect(cohortStarts("2026-01-15", "2026-03-01", "month")).toEqual([
      "2026-01-01",
      "2026-02-01",
      "2026-03-01",
    ]);
    expect(cohortStarts("2026-12-30", "2027-01-05", "week")).toEqual(["2026-12-28", "2027-01-04"]);
    expect(cohortStarts("2026-11-30", "2027-01-01", "month").at(-1)).toBe("2027-01-01");
    expect(periodEndingOn("2026-12-06")).toEqual({ since: "2025-12-07", until: "2026-12-06" });
  });

  it("call a cohort mature from the day its conversion window has passed since its end", () => {
    // March ends as 1 April begins; 180 days after that is 28 September.
    expect(isProvisional("2026-03-01", "month", "2026-09-27", 180)).toBe(true);
    expect(isProvisional("2026-03-01", "month", "2026-09-28", 180)).toBe(false);
    expect(isProvisional("2026-03-09", "week", "2026-03-16", 0)).toBe(false);
    expect(isProvisional("2026-03-09", "week", "2026-03-15", 0)).toBe(true);
  });

  it("give each funnel the database's median days to opportunity, none where no lead reached one", () => {
    const figures = hindsightFigures(
      input({
        groups: [
          group({ leads: 2, reachedOpportunity: 1 }),
          group({ campaignKey: null, cohortStart: "2026-04-01" }),
        ],
        medianDaysToOpportunity: {
          total: 12.5,
          campaigns: new Map([["spring", 12.5]]),
          cohorts: new Map([["2026-03-01", 12.5]]),
        },
      }),
    );
    expect(figures.total.medianDaysToOpportunity).toBe(12.5);
    expect(figures.campaigns.map((c) => [c.campaign, c.medianDaysToOpportunity])).toEqual([
      ["spring", 12.5],
      [null, null],
    ]);
    expect(figures.cohorts.map((c) => [c.start, c.medianDaysToOpportunity])).toEqual([
      ["2026-03-01", 12.5],
      ["2026-04-01", null],
    ]);
  });

  it("leave a cost undefined without spend or without the deals it is divided by", () => {
    const noSpend = hindsightFigures(
      input({ groups: [group({ reachedOpportunity: 1, won: 1, wonAmount: 100 })] }),
    );
    expect(noSpend.total).toMatchObject({
      spend: null,
      costPerOpportunity: null,
      costPerWonDeal: null,
      returnOnSpend: null,
    });
    const noDeals = hindsightFigures(
      input({
        groups: [group({})],
        spend: [{ campaignKey: "spring", cohortStart: "2026-03-01", spend: 400 }],
      }),
    );
    expect(noDeals.total).toMatchObject({
      spend: 400,
      costPerOpportunity: null,
      costPerWonDeal: null,
      returnOnSpend: 0,
    });
  });

  it("show a campaign that only spent, and company-wide spend in the total", () => {
    const figures = hindsightFigures(
      input({
        groups: [group({ leads: 3 })],
        spend: [
          { campaignKey: "display", cohortStart: "2026-04-01", spend: 250 },
          { campaignKey: "", cohortStart: "2026-04-01", spend: 50 },
        ],
      }),
    );
    expect(figures.campaigns.map((c) => [c.campaign, c.leads, c.spend])).toEqual([
      ["spring", 3, null],
      [null, 0, 50],
      ["display", 0, 250],
    ]);
    expect(figures.total.spend).toBe(300);
    expect(figures.cohorts.map((c) => [c.start, c.leads, c.spend])).toEqual([
      ["2026-03-01", 3, null],
      ["2026-04-01", 0, 300],
    ]);
  });

  it("rank reasons by how often they proved wrong, and label them, retired keys as themselves", () => {
    const figures = hindsightFigures(
      input({
        reasons: [
          { reason: "no_budget", leads: 4, reachedOpportunity: 0, won: 0 },
          { reason: "old_reason", leads: 2, reachedOpportunity: 1, won: 0 },
        ],
        reasonLabels: new Map([["no_budget", "No budget"]]),
      }),
    );
    expect(figures.reasons.map((r) => [r.label, r.provedRight, r.provedRightRate])).toEqual([
      ["old_reason", 1, 0.5],
      ["No budget", 4, 1],
    ]);
  });

  it("rank reasons proved wrong equally often by how many leads cited them", () => {
    const figures = hindsightFigures(
      input({
        reasons: [
          { reason: "no_need", leads: 2, reachedOpportunity: 1, won: 0 },
          { reason: "no_budget", leads: 5, reachedOpportunity: 1, won: 0 },
          { reason: "too_small", leads: 3, reachedOpportunity: 1, won: 0 },
        ],
      }),
    );
    expect(figures.reasons.map((r) => r.reason)).toEqual(["no_budget", "too_small", "no_need"]);
  });

  it("list campaigns by most leads, a tie by name with the leads of no campaign first", () => {
    const figures = hindsightFigures(
      input({
        groups: [
          group({ campaignKey: "autumn", leads: 2 }),
          group({ campaignKey: "winter", leads: 5 }),
          group({ campaignKey: null, leads: 2 }),
          group({ campaignKey: "spring", leads: 3 }),
          group({ campaignKey: "display", leads: 2 }),
        ],
      }),
    );
    expect(figures.campaigns.map((c) => c.campaign)).toEqual([
      "winter",
      "spring",
      null,
      "autumn",
      "display",
    ]);
  });

  it("list cohorts in date order, one that only spent among them", () => {
    const figures = hindsightFigures(
      input({
        groups: [group({ cohortStart: "2026-05-01" }), group({ cohortStart: "2026-03-01" })],
        spend: [{ campaignKey: "spring", cohortStart: "2026-04-01", spend: 100 }],
      }),
    );
    expect(figures.cohorts.map((c) => c.start)).toEqual(["2026-03-01", "2026-04-01", "2026-05-01"]);
  });

  it("list reps by their user id, each with their verdicts' outcomes", () => {
    const figures = hindsightFigures(
      input({
        perRep: true,
        groups: [
          group({ rep: "U0ZED", verdict: "not_fit", reachedOpportunity: 1 }),
          group({ rep: "U0ALEX", leads: 2, won: 1, reachedOpportunity: 1, wonAmount: 900 }),
          group({ rep: null, verdict: "none" }),
        ],
      }),
    );
    expect(figures.reps?.map((r) => r.rep)).toEqual(["U0ALEX", "U0ZED"]);
    expect(figures.reps?.[0]?.verdicts[0]).toEqual({
      verdict: "fit",
      leads: 2,
      reachedOpportunity: 1,
      won: 1,
      wonAmount: 900,
    });
  });

  it("count as rejected despite the definition only not-a-fit verdicts on leads that met it", () => {
    const figures = hindsightFigures(
      input({
        groups: [
          group({ verdict: "not_fit", metDefinition: true, leads: 2, reachedOpportunity: 1 }),
          group({ verdict: "fit", metDefinition: true, leads: 4 }),
          group({ verdict: "not_yet", metDefinition: true, leads: 8 }),
          group({ verdict: "not_fit", metDefinition: false, leads: 16 }),
        ],
      }),
    );
    expect(figures.rejectedDespiteDefinition).toEqual({
      leads: 2,
      reachedOpportunity: 1,
      won: 0,
      wonAmount: 0,
    });
  });
});
