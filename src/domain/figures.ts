import { AppError } from "./app-error.ts";
import type { Verdict, VerdictEvent } from "./verdict.ts";

// The key figures of DESIGN.md, defined once. `null` means "cannot be computed" and is shown as
// "—": a ratio over nothing is unknown, not zero.

/**
 * How many leads got each verdict. A verdict is the stored value (`not_yet`); its count is a
 * property spelt in camelCase (`notYet`), as the API's JSON spells it. VERDICT_COUNT maps one to
 * the other, so no code spells that mapping out again.
 */
export interface VerdictCounts {
  fit: number;
  notYet: number;
  notFit: number;
}

export const VERDICT_COUNT: Record<Verdict, keyof VerdictCounts> = {
  fit: "fit",
  not_yet: "notYet",
  not_fit: "notFit",
};

export interface Change {
  absolute: number;
  /** Relative to the previous value; null when the previous value is 0. */
  relative: number | null;
}

const MS_PER_HOUR = 3_600_000;
const NO_VALUE = "—";

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** fit / (fit + not_fit): "not yet" is the right profile at the wrong time, not a bad lead. */
export function fitRate(c: VerdictCounts): number | null {
  return ratio(c.fit, c.fit + c.notFit);
}

/** Leads with a verdict / leads created in the week. */
export function reviewCoverage(reviewed: number, created: number): number | null {
  return ratio(reviewed, created);
}

/**
 * Unreviewed and older than the SLA at `now`. A review after `now` does not count yet, so the
 * figure can be computed for a past moment.
 */
export function isOverdue(
  leadCreatedAt: Date,
  reviewedAt: Date | undefined,
  now: Date,
  slaHours: number,
): boolean {
  const reviewed = reviewedAt !== undefined && reviewedAt.getTime() <= now.getTime();
  return !reviewed && now.getTime() - leadCreatedAt.getTime() > slaHours * MS_PER_HOUR;
}

/** Spend / fit leads; unknown without spend or without any fit lead. */
export function costPerFitLead(spend: number | null, fitLeads: number): number | null {
  return spend === null || fitLeads <= 0 ? null : spend / fitLeads;
}

/** A campaign's leads of one week, as the database counts them. */
export interface CampaignLeadCounts extends VerdictCounts {
  created: number;
  /** Leads with a verdict. */
  reviewed: number;
}

/** A campaign's week: its spend beside its leads and what sales said about them. */
export interface CampaignWeekFigures extends VerdictCounts {
  spend: number | null;
  /** Lead rows created in the week (not the `leads` metric marketing reports). */
  leads: number;
  reviewed: number;
  fitRate: number | null;
  costPerFitLead: number | null;
}

/** The one place the digest's campaigns and the campaign table get their figures from. */
export function campaignWeekFigures(
  spend: number | null,
  counts: CampaignLeadCounts | undefined,
): CampaignWeekFigures {
  const verdicts = {
    fit: counts?.fit ?? 0,
    notYet: counts?.notYet ?? 0,
    notFit: counts?.notFit ?? 0,
  };
  return {
    spend,
    leads: counts?.created ?? 0,
    reviewed: counts?.reviewed ?? 0,
    ...verdicts,
    fitRate: fitRate(verdicts),
    costPerFitLead: costPerFitLead(spend, verdicts.fit),
  };
}

export function change(current: number | null, previous: number | null): Change | null {
  if (current === null || previous === null) return null;
  const absolute = current - previous;
  // Divided by |previous| so a rise from a negative value still reads as a rise.
  return { absolute, relative: previous === 0 ? null : absolute / Math.abs(previous) };
}

/** Average of the known values among the previous weeks passed in (gaps are skipped). */
export function trailingAverage(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((sum, v) => sum + v, 0) / known.length;
}

/**
 * Progress to a weekly target as a fraction (1 = reached). For lower-is-better metrics it is
 * target / value, so beating the target also gives more than 1. Null when a division by 0 would
 * be needed.
 */
export function targetProgress(
  value: number | null,
  target: number | null,
  direction: "higher" | "lower",
): number | null {
  if (value === null || target === null) return null;
  return direction === "higher" ? ratio(value, target) : ratio(target, value);
}

/** Counts for a week's leads, given each lead's verdict for that week (undefined = none yet). */
export function countVerdicts(
  verdicts: readonly (Verdict | undefined)[],
): VerdictCounts & { reviewed: number; created: number } {
  const counts = { fit: 0, notYet: 0, notFit: 0, reviewed: 0, created: verdicts.length };
  for (const verdict of verdicts) {
    if (verdict === undefined) continue;
    counts.reviewed += 1;
    counts[VERDICT_COUNT[verdict]] += 1;
  }
  return counts;
}

/** "Not a fit" verdicts given to leads that met the agreed definition at the time. */
export function rejectedDespiteDefinition(events: readonly VerdictEvent[]): number {
  return events.filter((e) => e.verdict === "not_fit" && e.definitionStatus === "met").length;
}

/** A week's figure from its daily values, given in date order. */
export function aggregateWeek(
  values: readonly number[],
  aggregation: "sum" | "average" | "last",
): number | null {
  if (values.length === 0) return null;
  const sum = values.reduce((total, v) => total + v, 0);
  switch (aggregation) {
    case "sum":
      return sum;
    case "average":
      return sum / values.length;
    case "last":
      return values[values.length - 1] ?? null;
  }
}

/** 0.423 → "42%". */
export function formatPercent(x: number | null): string {
  return x === null ? NO_VALUE : `${Math.round(x * 100)}%`;
}

function signed(text: string, n: number): string {
  return n > 0 ? `+${text}` : text;
}

/**
 * "+12%" / "-5%" relative to the previous value; when there is no relative change (previous was
 * 0) the absolute one, e.g. "+45". Use "points" for figures that are themselves percentages
 * (fit rate 40% → 45% is "+5 pts", not "+12%").
 */
export function formatChange(c: Change | null, mode: "relative" | "points" = "relative"): string {
  if (c === null) return NO_VALUE;
  if (mode === "points") {
    const points = Math.round(c.absolute * 100);
    return `${signed(String(points), points)} pts`;
  }
  if (c.relative === null) return signed(formatCount(c.absolute), c.absolute);
  const percent = Math.round(c.relative * 100);
  return signed(`${percent}%`, percent);
}

const moneyFormats = new Map<string, { whole: Intl.NumberFormat; exact: Intl.NumberFormat }>();

/** "$12,346" for large or whole amounts, "$12.50" for small ones (cents matter only there). */
export function formatMoney(amount: number | null, currency: string): string {
  if (amount === null) return NO_VALUE;
  let formats = moneyFormats.get(currency);
  if (!formats) {
    try {
      formats = {
        whole: new Intl.NumberFormat("en-US", {
          style: "currency",
          currency,
          minimumFractionDigits: 0,
          maximumFractionDigits: 0,
        }),
        exact: new Intl.NumberFormat("en-US", { style: "currency", currency }),
      };
    } catch (cause) {
      throw new AppError(
        "invalid_currency",
        `Unknown currency ${JSON.stringify(currency)}`,
        `"${currency}" is not a currency code. Use a three-letter ISO code such as USD or EUR.`,
        { cause },
      );
    }
    moneyFormats.set(currency, formats);
  }
  return (
    Math.abs(amount) >= 1000 || Number.isInteger(amount) ? formats.whole : formats.exact
  ).format(amount);
}

// Made on first use: a compact formatter costs about 8 ms to create, on every start otherwise.
let compactFormat: Intl.NumberFormat | undefined;

/** 45 → "45", 120000 → "120k", 1234567 → "1.2M". */
export function formatCount(n: number | null): string {
  if (n === null) return NO_VALUE;
  compactFormat ??= new Intl.NumberFormat("en-US", {
    notation: "compact",
    maximumFractionDigits: 1,
  });
  return compactFormat.format(n).replace("K", "k");
}
