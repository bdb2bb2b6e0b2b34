import {
  type HindsightGroup,
  type HindsightReport,
  hindsightFigures,
  type RejectedThenBoughtLead,
} from "../../../src/domain/hindsight.ts";

// Hindsight reports made from hand-made groups through the domain's own arithmetic: one report
// for the hindsight message, App Home's panel, the digest's monthly section and the charts.

export function hindsightReport(
  groups: HindsightGroup[],
  extra: {
    rejected?: RejectedThenBoughtLead[];
    reasons?: { reason: string; leads: number; reachedOpportunity: number; won: number }[];
    perRep?: boolean;
    campaign?: string | null;
    /** The period and the day it is seen from; by default the 12 months to 2026-12-06. */
    period?: { since: string; until: string; today: string };
  } = {},
): HindsightReport {
  return {
    ...hindsightFigures({
      ...(extra.period ?? { since: "2025-12-07", until: "2026-12-06", today: "2026-12-06" }),
      cohortSize: "month",
      conversionWindowDays: 180,
      groups,
      medianDaysToOpportunity: {
        total: 20,
        campaigns: new Map([["spring", 20]]),
        cohorts: new Map([["2026-03-01", 20]]),
      },
      reasons: extra.reasons ?? [],
      reasonLabels: new Map([["wrong_industry", "Wrong industry"]]),
      spend: [{ campaignKey: "spring", cohortStart: "2026-03-01", spend: 9000 }],
      rejectedThenBought: extra.rejected ?? [],
      perRep: extra.perRep ?? false,
    }),
    currency: "USD",
    timeZone: "Europe/Berlin",
    campaign: extra.campaign ?? null,
    cameBack: { leads: 4, reachedOpportunity: 1 },
  };
}

export const hindsightGroup = (overrides: Partial<HindsightGroup>): HindsightGroup => ({
  campaignKey: "spring",
  cohortStart: "2026-03-01",
  verdict: "not_fit",
  metDefinition: false,
  rep: "U0SAM",
  leads: 10,
  reachedOpportunity: 3,
  won: 1,
  wonAmount: 48000,
  ...overrides,
});

export const rejectedLead = (n: number, name: string): RejectedThenBoughtLead => ({
  externalId: `L${n}`,
  email: `l${n}@acme.example`,
  company: name,
  campaignKey: "spring",
  reasons: ["wrong_industry"],
  judgedBy: "U0SAM",
  judgedAt: new Date("2026-03-11T10:00:00Z"),
  firstOutcomeAt: new Date("2026-04-10T10:00:00Z"),
  won: true,
  wonAmount: 48000,
});
