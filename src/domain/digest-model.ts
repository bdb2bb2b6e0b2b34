import type { ContextNote } from "./context-note.ts";
import type {
  CampaignFigures,
  Digest,
  FeedbackFigures,
  MetricFigure,
  NeedsContext,
  ReasonGroupTally,
} from "./digest.ts";
import {
  type CampaignLeadCounts,
  campaignWeekFigures,
  change,
  fitRate,
  formatCount,
  reviewCoverage,
  targetProgress,
  trailingAverage,
} from "./figures.ts";
import type { HindsightReport } from "./hindsight.ts";
import {
  formatVanityPairing,
  isVanityStage,
  type MetricDefinition,
  pairWithOutcome,
} from "./metrics.ts";
import { REASON_OWNER_LABELS, REASON_OWNERS, type Reason, type ReasonOwner } from "./taxonomy.ts";
import type { TrackedMetric } from "./workspace.ts";

/** How many weeks the series (and the charts) cover, ending with the reported week. */
export const SERIES_WEEKS = 12;
const TRAILING_WEEKS = 4;

export interface MetricWeek {
  metricKey: string;
  /** "" = company-wide. */
  campaignKey: string;
  weekStart: string;
  value: number;
}

export interface LeadCounts extends CampaignLeadCounts {
  campaignKey: string | null;
  rejectedDespiteDefinition: number;
}

/** The SQL aggregates a digest is made from, for one workspace and one reported week. */
export interface DigestInputs {
  workspace: {
    id: string;
    name: string;
    currency: string;
    timeZone: string;
    northStar: TrackedMetric | null;
    kpis: TrackedMetric[];
    needsContextThresholdPct: number;
  };
  /** The reported week's label, Monday and Sunday. */
  week: { label: string; start: string; end: string };
  /** SERIES_WEEKS weeks ending with the reported one, oldest first: labels and Mondays. */
  series: { label: string; start: string }[];
  /** A campaign report when set; else the whole workspace. */
  campaignKey: string | null;
  catalogue: MetricDefinition[];
  metricWeeks: MetricWeek[];
  campaigns: { key: string; name: string; channel: string | null; owner: string | null }[];
  leadCounts: LeadCounts[];
  reasonCounts: { campaignKey: string | null; reason: string; count: number }[];
  /** Every reason, retired ones included, for labels. */
  reasons: Reason[];
  overdue: number;
  notes: ContextNote[];
  /** The CRM's trouble admins should look at (crmTrouble), or null. */
  crmTrouble: string | null;
  /** The look back of the digest that opens a month (opensMonth); null in every other digest. */
  hindsight: HindsightReport | null;
}

/** One metric's rows of one week: each campaign's value ("" = company-wide), and all of them in order. */
interface WeekRows {
  byCampaign: Map<string, number>;
  values: number[];
}

/**
 * The metric weeks by metric, then week. A digest asks for a week's figure over a thousand times
 * (each campaign's North Star series), so the rows are grouped once rather than searched each time.
 */
type MetricWeekIndex = Map<string, Map<string, WeekRows>>;

function indexMetricWeeks(metricWeeks: readonly MetricWeek[]): MetricWeekIndex {
  const index: MetricWeekIndex = new Map();
  for (const r of metricWeeks) {
    let weeks = index.get(r.metricKey);
    if (!weeks) {
      weeks = new Map();
      index.set(r.metricKey, weeks);
    }
    let week = weeks.get(r.weekStart);
    if (!week) {
      week = { byCampaign: new Map(), values: [] };
      weeks.set(r.weekStart, week);
    }
    if (!week.byCampaign.has(r.campaignKey)) week.byCampaign.set(r.campaignKey, r.value);
    week.values.push(r.value);
  }
  return index;
}

function weekFigure(
  index: MetricWeekIndex,
  metric: MetricDefinition,
  weekStart: string,
  campaignKey: string | null,
): number | null {
  const week = index.get(metric.key)?.get(weekStart);
  if (!week) return null;
  if (campaignKey !== null) return week.byCampaign.get(campaignKey) ?? null;
  const companyWide = week.byCampaign.get("");
  if (companyWide !== undefined) return companyWide;
  // No company-wide figure: the campaigns' figures together (a sum, or an average for rates).
  const total = week.values.reduce((sum, value) => sum + value, 0);
  return metric.aggregation === "sum" ? total : total / week.values.length;
}

function metricFigure(
  input: DigestInputs,
  weeks: MetricWeekIndex,
  tracked: TrackedMetric,
  fit: number,
  campaignKey: string | null,
): MetricFigure | null {
  const metric = input.catalogue.find((m) => m.key === tracked.metricKey);
  if (!metric) return null;
  const series = input.series.map((w) => ({
    week: w.label,
    value: weekFigure(weeks, metric, w.start, campaignKey),
  }));
  const values = series.map((p) => p.value);
  const value = values.at(-1) ?? null;
  const previous = values.at(-2) ?? null;
  const average = trailingAverage(values.slice(-1 - TRAILING_WEEKS, -1));
  let pairing: string | null = null;
  if (isVanityStage(metric.stage)) {
    const outcome = pairWithOutcome(metric, input.catalogue);
    const outcomeValue = outcome ? weekFigure(weeks, outcome, input.week.start, campaignKey) : null;
    pairing = formatVanityPairing([
      { label: metric.label.toLowerCase(), value: formatCount(value) },
      ...(outcome
        ? [{ label: outcome.label.toLowerCase(), value: formatCount(outcomeValue) }]
        : []),
      { label: "fit", value: formatCount(fit) },
    ]);
  }
  return {
    key: metric.key,
    label: metric.label,
    unit: metric.unit,
    stage: metric.stage,
    goal: metric.goal,
    direction: metric.direction,
    owner: metric.owner,
    value,
    previous,
    trailingAverage: average,
    changeVsLastWeek: change(value, previous),
    changeVsAverage: change(value, average),
    weeklyTarget: tracked.weeklyTarget,
    progress: targetProgress(value, tracked.weeklyTarget, metric.direction),
    pairing,
    series,
  };
}

function feedbackFigures(input: DigestInputs): FeedbackFigures {
  const counts = input.leadCounts.filter(
    (c) => input.campaignKey === null || c.campaignKey === input.campaignKey,
  );
  const sum = (pick: (c: LeadCounts) => number) => counts.reduce((total, c) => total + pick(c), 0);
  const verdicts = {
    fit: sum((c) => c.fit),
    notYet: sum((c) => c.notYet),
    notFit: sum((c) => c.notFit),
  };
  const created = sum((c) => c.created);
  const reviewed = sum((c) => c.reviewed);
  const byKey = new Map(input.reasons.map((r) => [r.key, r]));
  const tallies = new Map<string, number>();
  for (const r of input.reasonCounts) {
    if (input.campaignKey === null || r.campaignKey === input.campaignKey)
      tallies.set(r.reason, (tallies.get(r.reason) ?? 0) + r.count);
  }
  const groups: ReasonGroupTally[] = REASON_OWNERS.map((owner: ReasonOwner) => {
    const reasons = [...tallies]
      .filter(([key]) => (byKey.get(key)?.owner ?? "marketing") === owner)
      .map(([key, count]) => ({ key, label: byKey.get(key)?.label ?? key, count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
    return {
      owner,
      label: REASON_OWNER_LABELS[owner],
      total: reasons.reduce((t, r) => t + r.count, 0),
      reasons,
    };
  })
    .filter((g) => g.total > 0)
    .sort((a, b) => b.total - a.total);
  return {
    created,
    reviewed,
    coverage: reviewCoverage(reviewed, created),
    ...verdicts,
    fitRate: fitRate(verdicts),
    overdue: input.overdue,
    rejectedDespiteDefinition: sum((c) => c.rejectedDespiteDefinition),
    reasonsByOwner: groups,
  };
}

function campaignFigures(input: DigestInputs, weeks: MetricWeekIndex): CampaignFigures[] {
  const spendMetric = input.catalogue.find((m) => m.key === "spend");
  const rows = input.campaigns
    .filter((c) => input.campaignKey === null || c.key === input.campaignKey)
    .map(
      (campaign): CampaignFigures => ({
        ...campaign,
        ...campaignWeekFigures(
          spendMetric ? weekFigure(weeks, spendMetric, input.week.start, campaign.key) : null,
          input.leadCounts.find((c) => c.campaignKey === campaign.key),
        ),
      }),
    )
    .filter((c) => c.spend !== null || c.leads > 0);
  // Cheapest fit lead first; campaigns without a cost per fit lead last, by spend.
  return rows.sort((a, b) => {
    if (a.costPerFitLead !== null && b.costPerFitLead !== null)
      return a.costPerFitLead - b.costPerFitLead;
    if (a.costPerFitLead !== null) return -1;
    if (b.costPerFitLead !== null) return 1;
    return (b.spend ?? 0) - (a.spend ?? 0);
  });
}

/**
 * Tracked metrics that moved past the threshold against their 4-week average with no note naming
 * the metric (or the campaign). Every tracked metric is checked company-wide; per campaign only the
 * North Star, so a quiet campaign's small numbers do not flood the digest with questions.
 */
function needsContext(
  input: DigestInputs,
  weeks: MetricWeekIndex,
  northStar: TrackedMetric | null,
  kpis: TrackedMetric[],
): NeedsContext[] {
  const threshold = input.workspace.needsContextThresholdPct / 100;
  const explained = (metricKey: string, campaignKey: string | null) =>
    input.notes.some(
      (n) => n.metricKey === metricKey || (campaignKey !== null && n.campaignKey === campaignKey),
    );
  const found: NeedsContext[] = [];
  const perCampaign =
    input.campaignKey !== null ? [input.campaignKey] : input.campaigns.map((c) => c.key);
  const tracked = northStar ? [northStar, ...kpis] : kpis;
  for (const t of tracked) {
    const metric = input.catalogue.find((m) => m.key === t.metricKey);
    if (!metric) continue;
    const scopes =
      input.campaignKey !== null ? perCampaign : [null, ...(t === northStar ? perCampaign : [])];
    for (const campaignKey of scopes) {
      const values = input.series.map((w) => weekFigure(weeks, metric, w.start, campaignKey));
      const moved =
        change(values.at(-1) ?? null, trailingAverage(values.slice(-1 - TRAILING_WEEKS, -1)))
          ?.relative ?? null;
      if (moved === null || Math.abs(moved) <= threshold || explained(metric.key, campaignKey))
        continue;
      const campaign = input.campaigns.find((c) => c.key === campaignKey);
      found.push({
        metricKey: metric.key,
        label: metric.label,
        campaignKey,
        change: moved,
        askUser: metric.owner ?? campaign?.owner ?? null,
      });
    }
  }
  return found.sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
}

/** The digest from its aggregates: pure, so every figure is tested on hand-made data. */
export function assembleDigest(input: DigestInputs): Digest {
  const feedback = feedbackFigures(input);
  const weeks = indexMetricWeeks(input.metricWeeks);
  const campaigns = campaignFigures(input, weeks);
  const { northStar, kpis } = input.workspace;
  const ranked = campaigns.filter((c) => c.costPerFitLead !== null);
  return {
    workspaceId: input.workspace.id,
    workspaceName: input.workspace.name,
    week: input.week.label,
    weekStart: input.week.start,
    weekEnd: input.week.end,
    timeZone: input.workspace.timeZone,
    currency: input.workspace.currency,
    campaignKey: input.campaignKey,
    northStar: northStar
      ? metricFigure(input, weeks, northStar, feedback.fit, input.campaignKey)
      : null,
    kpis: kpis
      .map((k) => metricFigure(input, weeks, k, feedback.fit, input.campaignKey))
      .filter((k): k is MetricFigure => k !== null),
    feedback,
    campaigns,
    bestCampaign: ranked[0]?.key ?? null,
    worstCampaign: ranked.length > 1 ? (ranked.at(-1)?.key ?? null) : null,
    notes: input.notes.map((n) => ({
      text: n.text,
      author: n.author,
      campaignKey: n.campaignKey,
      metricKey: n.metricKey,
      permalink: n.permalink,
    })),
    needsContext: needsContext(input, weeks, northStar, kpis),
    crmTrouble: input.crmTrouble,
    hindsight: input.hindsight,
  };
}
