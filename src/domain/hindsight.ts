import type { Verdict } from "./verdict.ts";
import { addDays, isoWeekOfDate, weekStartDate } from "./week.ts";

// Hindsight: sales' verdicts checked against what later happened to the leads (outcomes). The
// repository sums the leads up in groups; everything below is arithmetic on those groups, so each
// figure is defined once, here, and tested on hand-made numbers.

/** A lead's verdict for hindsight: its newest verdict given before its first outcome, or none. */
export type HindsightVerdict = Verdict | "none";
export const HINDSIGHT_VERDICTS: readonly HindsightVerdict[] = [
  "fit",
  "not_yet",
  "not_fit",
  "none",
];

/** Cohorts are the leads created in one week (Monday) or one calendar month, in the workspace's zone. */
export type CohortSize = "week" | "month";

export const DEFAULT_CONVERSION_WINDOW_DAYS = 180;

/** Leads alike in campaign, cohort, verdict for hindsight, definition snapshot and verdict giver. */
export interface HindsightGroup {
  campaignKey: string | null;
  /** First day of the cohort, "YYYY-MM-DD". */
  cohortStart: string;
  verdict: HindsightVerdict;
  /** The verdict's snapshot said the lead met the agreed definition. */
  metDefinition: boolean;
  /** Who gave the verdict for hindsight (Slack user id); null for none. */
  rep: string | null;
  leads: number;
  /** Leads with any outcome. */
  reachedOpportunity: number;
  /** Leads with a won outcome. */
  won: number;
  /** The sum of those leads' won amounts. */
  wonAmount: number;
}

/**
 * The median of the days from a lead's creation to its first outcome, over the leads that reached
 * one (the mean of the two middle values for an even count): the database takes it, so no lead's
 * row leaves it. A campaign or cohort missing from its map has no such lead.
 */
export interface MedianDaysToOpportunity {
  total: number | null;
  /** Per campaign key, "" for the leads of no campaign. */
  campaigns: ReadonlyMap<string, number>;
  /** Per cohort's first day. */
  cohorts: ReadonlyMap<string, number>;
}

/** The not-a-fit leads (for hindsight) citing one reason, and what became of them. */
export interface ReasonHindsight {
  reason: string;
  leads: number;
  reachedOpportunity: number;
  won: number;
}

/** The `spend` metric in one campaign ("" = company-wide) and cohort. */
export interface SpendGroup {
  campaignKey: string;
  cohortStart: string;
  spend: number;
}

/** A not-a-fit lead that later reached an opportunity. */
export interface RejectedThenBoughtLead {
  externalId: string;
  email: string;
  company: string | null;
  campaignKey: string | null;
  reasons: readonly string[];
  judgedBy: string;
  judgedAt: Date;
  firstOutcomeAt: Date;
  won: boolean;
  wonAmount: number;
}

export interface VerdictOutcomes {
  leads: number;
  reachedOpportunity: number;
  won: number;
  wonAmount: number;
}

/** leads → judged → fit / not yet / not a fit → opportunity → won, with money against spend. */
export interface Funnel {
  leads: number;
  /** Leads with a verdict for hindsight (judged before their first outcome, if any). */
  judged: number;
  fit: number;
  notYet: number;
  notFit: number;
  opportunities: number;
  wins: number;
  wonAmount: number;
  spend: number | null;
  costPerOpportunity: number | null;
  costPerWonDeal: number | null;
  returnOnSpend: number | null;
  medianDaysToOpportunity: number | null;
  provisional: boolean;
}

export interface HindsightInput {
  since: string;
  until: string;
  /** The workspace's today: decides which cohorts are mature. */
  today: string;
  cohortSize: CohortSize;
  conversionWindowDays: number;
  groups: readonly HindsightGroup[];
  medianDaysToOpportunity: MedianDaysToOpportunity;
  reasons: readonly ReasonHindsight[];
  reasonLabels: ReadonlyMap<string, string>;
  spend: readonly SpendGroup[];
  /** The first of the not-a-fit leads that later reached an opportunity (all are counted). */
  rejectedThenBought: readonly RejectedThenBoughtLead[];
  /** Per-rep figures only when an admin turned them on, and only for an admin. */
  perRep: boolean;
}

export interface Hindsight {
  since: string;
  until: string;
  cohortSize: CohortSize;
  conversionWindowDays: number;
  provisional: boolean;
  verdicts: (VerdictOutcomes & { verdict: HindsightVerdict })[];
  total: Funnel;
  campaigns: (Funnel & { campaign: string | null })[];
  cohorts: (Funnel & { start: string; end: string })[];
  reasons: (ReasonHindsight & {
    label: string;
    provedRight: number;
    provedRightRate: number | null;
  })[];
  /** Not-a-fit leads (for hindsight) that reached an opportunity: how many, wins, and the first. */
  rejectedThenBought: {
    total: number;
    won: number;
    wonAmount: number;
    leads: readonly RejectedThenBoughtLead[];
  };
  notYetConverted: VerdictOutcomes;
  rejectedDespiteDefinition: VerdictOutcomes;
  reps: { rep: string; verdicts: (VerdictOutcomes & { verdict: Verdict })[] }[] | null;
}

/** Hindsight as shown: the figures with the workspace's currency and zone, and the campaign asked. */
export interface HindsightReport extends Hindsight {
  currency: string;
  timeZone: string;
  campaign: string | null;
  /** The period's leads that came back to sales from not yet, and how many of them reached an opportunity. */
  cameBack: CameBack;
}

/** Leads that came back to sales on a not-yet verdict's revisit date, and what became of them. */
export interface CameBack {
  leads: number;
  reachedOpportunity: number;
}

/** The day after a cohort's last day. */
export function cohortEnd(start: string, size: CohortSize): string {
  if (size === "week") return addDays(start, 7);
  const [year, month] = start.split("-").map(Number) as [number, number];
  return month === 12
    ? `${String(year + 1).padStart(4, "0")}-01-01`
    : `${String(year).padStart(4, "0")}-${String(month + 1).padStart(2, "0")}-01`;
}

/** The default period: the 365 days up to today, today included (about 12 months). */
export function periodEndingOn(until: string): { since: string; until: string } {
  return { since: addDays(until, -364), until };
}

/** The first day of the cohort a date falls in. */
export function cohortStartOf(date: string, size: CohortSize): string {
  return size === "week" ? weekStartDate(isoWeekOfDate(date)) : `${date.slice(0, 7)}-01`;
}

/** The first days of the cohorts that cover `since` to `until` (both included), in order. */
export function cohortStarts(since: string, until: string, size: CohortSize): string[] {
  const starts: string[] = [];
  for (let start = cohortStartOf(since, size); start <= until; start = cohortEnd(start, size))
    starts.push(start);
  return starts;
}

/** A cohort is mature once the conversion window has passed since its end; before, provisional. */
export function isProvisional(
  cohortStart: string,
  size: CohortSize,
  today: string,
  conversionWindowDays: number,
): boolean {
  return today < addDays(cohortEnd(cohortStart, size), conversionWindowDays);
}

const ratio = (numerator: number, denominator: number | null): number | null =>
  denominator === null || denominator === 0 ? null : numerator / denominator;

function outcomesOf(groups: readonly HindsightGroup[]): VerdictOutcomes {
  return {
    leads: sum(groups, (g) => g.leads),
    reachedOpportunity: sum(groups, (g) => g.reachedOpportunity),
    won: sum(groups, (g) => g.won),
    wonAmount: sum(groups, (g) => g.wonAmount),
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

function funnel(
  groups: readonly HindsightGroup[],
  spend: number | null,
  provisional: boolean,
  medianDaysToOpportunity: number | null,
): Funnel {
  const count = (verdict: HindsightVerdict) =>
    sum(
      groups.filter((g) => g.verdict === verdict),
      (g) => g.leads,
    );
  const { leads, reachedOpportunity, won, wonAmount } = outcomesOf(groups);
  return {
    leads,
    judged: leads - count("none"),
    fit: count("fit"),
    notYet: count("not_yet"),
    notFit: count("not_fit"),
    opportunities: reachedOpportunity,
    wins: won,
    wonAmount,
    spend,
    costPerOpportunity: spend === null ? null : ratio(spend, reachedOpportunity),
    costPerWonDeal: spend === null ? null : ratio(spend, won),
    returnOnSpend: ratio(wonAmount, spend),
    medianDaysToOpportunity,
    provisional,
  };
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const spendOf = (rows: readonly SpendGroup[]): number | null =>
  rows.length === 0 ? null : sum(rows, (r) => r.spend);

/** Every hindsight figure of a period, from the repository's groups. */
export function hindsightFigures(input: HindsightInput): Hindsight {
  const provisional = (start: string) =>
    isProvisional(start, input.cohortSize, input.today, input.conversionWindowDays);
  const anyProvisional = (groups: readonly HindsightGroup[]) =>
    groups.some((g) => provisional(g.cohortStart));
  const { groups } = input;
  const medians = input.medianDaysToOpportunity;

  const byCampaign = groupBy(groups, (g) => g.campaignKey ?? "");
  const spendByCampaign = groupBy(input.spend, (s) => s.campaignKey);
  const campaignKeys = [...new Set([...byCampaign.keys(), ...spendByCampaign.keys()])];
  const campaigns = campaignKeys
    .map((key) => {
      const rows = byCampaign.get(key) ?? [];
      return {
        campaign: key === "" ? null : key,
        ...funnel(
          rows,
          spendOf(spendByCampaign.get(key) ?? []),
          anyProvisional(rows),
          medians.campaigns.get(key) ?? null,
        ),
      };
    })
    .sort((a, b) => b.leads - a.leads || (a.campaign ?? "").localeCompare(b.campaign ?? ""));

  const byCohort = groupBy(groups, (g) => g.cohortStart);
  const spendByCohort = groupBy(input.spend, (s) => s.cohortStart);
  const cohortStarts = [...new Set([...byCohort.keys(), ...spendByCohort.keys()])].sort();
  const cohorts = cohortStarts.map((start) => ({
    start,
    end: addDays(cohortEnd(start, input.cohortSize), -1),
    ...funnel(
      byCohort.get(start) ?? [],
      spendOf(spendByCohort.get(start) ?? []),
      provisional(start),
      medians.cohorts.get(start) ?? null,
    ),
  }));

  const verdictGroups = (verdict: HindsightVerdict) => groups.filter((g) => g.verdict === verdict);
  const reps = input.perRep
    ? [
        ...groupBy(
          groups.filter((g) => g.rep !== null),
          (g) => g.rep as string,
        ),
      ]
        .map(([rep, rows]) => ({
          rep,
          verdicts: (["fit", "not_yet", "not_fit"] as const).map((verdict) => ({
            verdict,
            ...outcomesOf(rows.filter((g) => g.verdict === verdict)),
          })),
        }))
        .sort((a, b) => a.rep.localeCompare(b.rep))
    : null;

  return {
    since: input.since,
    until: input.until,
    cohortSize: input.cohortSize,
    conversionWindowDays: input.conversionWindowDays,
    provisional: anyProvisional(groups),
    verdicts: HINDSIGHT_VERDICTS.map((verdict) => ({
      verdict,
      ...outcomesOf(verdictGroups(verdict)),
    })),
    total: funnel(groups, spendOf(input.spend), anyProvisional(groups), medians.total),
    campaigns,
    cohorts,
    reasons: input.reasons
      .map((r) => ({
        ...r,
        label: input.reasonLabels.get(r.reason) ?? r.reason,
        provedRight: r.leads - r.reachedOpportunity,
        provedRightRate: ratio(r.leads - r.reachedOpportunity, r.leads),
      }))
      .sort((a, b) => b.reachedOpportunity - a.reachedOpportunity || b.leads - a.leads),
    rejectedThenBought: {
      total: sum(verdictGroups("not_fit"), (g) => g.reachedOpportunity),
      won: sum(verdictGroups("not_fit"), (g) => g.won),
      wonAmount: sum(verdictGroups("not_fit"), (g) => g.wonAmount),
      leads: input.rejectedThenBought,
    },
    notYetConverted: outcomesOf(verdictGroups("not_yet")),
    rejectedDespiteDefinition: outcomesOf(
      groups.filter((g) => g.verdict === "not_fit" && g.metDefinition),
    ),
    reps,
  };
}
