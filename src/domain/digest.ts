import type { CampaignWeekFigures, Change } from "./figures.ts";
import type { HindsightReport } from "./hindsight.ts";
import type { MetricDefinition } from "./metrics.ts";
import type { ReasonOwner } from "./taxonomy.ts";

// The weekly digest as data: what both teams read every Monday. Built from SQL aggregates by the
// digest service; presented by the Block Kit builder, the charts and the HTML preview.

export interface WeekPoint {
  /** ISO week, e.g. "2026-W47". */
  week: string;
  value: number | null;
}

/** A tracked metric's week: its definition (owner = who answers for it) and its figures. */
export interface MetricFigure extends Omit<MetricDefinition, "aggregation"> {
  value: number | null;
  /** Last week's figure. */
  previous: number | null;
  /** Average of the four weeks before the reported one (the weeks that have a figure). */
  trailingAverage: number | null;
  changeVsLastWeek: Change | null;
  changeVsAverage: Change | null;
  weeklyTarget: number | null;
  /** value ÷ target (or target ÷ value when lower is better); null without a target. */
  progress: number | null;
  /** For awareness and engagement figures, the outcome they lead to: "impressions 120k → 45 leads → 12 fit". */
  pairing: string | null;
  /** Twelve weeks ending with the reported week, oldest first (for the chart). */
  series: WeekPoint[];
}

export interface ReasonTally {
  key: string;
  label: string;
  count: number;
}

export interface ReasonGroupTally {
  owner: ReasonOwner;
  /** "Marketing can fix (targeting)", "Sales process", … */
  label: string;
  total: number;
  reasons: ReasonTally[];
}

export interface FeedbackFigures {
  created: number;
  reviewed: number;
  coverage: number | null;
  fit: number;
  notYet: number;
  notFit: number;
  /** fit ÷ (fit + not a fit); "not yet" is left out. */
  fitRate: number | null;
  /** Leads of the week still unreviewed past the review SLA at the week's end. */
  overdue: number;
  /** "Not a fit" verdicts on leads that met the agreed definition. */
  rejectedDespiteDefinition: number;
  /** Reasons of the week's "not a fit" verdicts, grouped by who can act, largest group first. */
  reasonsByOwner: ReasonGroupTally[];
}

export interface CampaignFigures extends CampaignWeekFigures {
  key: string;
  name: string;
  channel: string | null;
  owner: string | null;
}

/** A metric that moved sharply against its 4-week average with no note explaining it. */
export interface NeedsContext {
  metricKey: string;
  label: string;
  campaignKey: string | null;
  /** Relative change against the trailing 4-week average, e.g. 0.42 = +42 %. */
  change: number;
  /** Who is asked: the metric's owner, else the campaign's owner, else null (the channel). */
  askUser: string | null;
}

export interface DigestNote {
  text: string;
  author: string;
  campaignKey: string | null;
  metricKey: string | null;
  permalink: string | null;
}

export interface Digest {
  workspaceId: string;
  workspaceName: string;
  /** The reported ISO week and its Monday and Sunday. */
  week: string;
  weekStart: string;
  weekEnd: string;
  timeZone: string;
  currency: string;
  /** Set when the digest is about one campaign (a campaign report). */
  campaignKey: string | null;
  northStar: MetricFigure | null;
  kpis: MetricFigure[];
  feedback: FeedbackFigures;
  /** Campaigns with spend or leads in the week, by cost per fit lead (best first, unknown last). */
  campaigns: CampaignFigures[];
  bestCampaign: string | null;
  worstCampaign: string | null;
  notes: DigestNote[];
  needsContext: NeedsContext[];
  /** One line when the CRM sync is failing or verdicts were not written back; null when fine. */
  crmTrouble: string | null;
  /**
   * In the digest that opens a month (opensMonth), for the whole workspace: the newest mature
   * monthly cohorts in hindsight. Null in every other digest and in campaign reports.
   */
  hindsight: HindsightReport | null;
}
