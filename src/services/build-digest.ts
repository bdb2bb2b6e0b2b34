import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import { crmTrouble } from "../domain/crm-verdict-write.ts";
import type { Digest } from "../domain/digest.ts";
import { assembleDigest, SERIES_WEEKS } from "../domain/digest-model.ts";
import type { HindsightReport } from "../domain/hindsight.ts";
import { lastMatureMonths, opensMonth } from "../domain/monthly-hindsight.ts";
import {
  addWeeks,
  formatIsoWeek,
  type IsoWeek,
  weekBounds,
  weekEndDate,
  weekStartDate,
} from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import { escapeMrkdwn } from "../presentation/slack/text.ts";
import { buildHindsight } from "./build-hindsight.ts";
import { crmStatus } from "./crm-status.ts";

export interface BuiltDigest {
  digest: Digest;
  /** Weeks of the chart's span that have context notes (markers on the trend chart). */
  noteWeeks: string[];
}

/**
 * The digest of one workspace for one reported week (optionally one campaign), from SQL
 * aggregates: the database counts; no lead is loaded into memory.
 */
export async function buildDigest(
  { repos }: { repos: Repositories },
  input: { workspace: Workspace; week: IsoWeek; campaignKey?: string | null },
): Promise<BuiltDigest> {
  const { workspace, week } = input;
  const campaignKey = input.campaignKey ?? null;
  const timeZone = workspaceTimezone(workspace);
  const bounds = weekBounds(week, timeZone);
  const series = Array.from({ length: SERIES_WEEKS }, (_, i) =>
    addWeeks(week, i - SERIES_WEEKS + 1),
  ).map((w) => ({
    label: formatIsoWeek(w),
    start: weekStartDate(w),
  }));
  const tracked = [workspace.northStar, ...workspace.kpis]
    .filter((t) => t !== null)
    .map((t) => t.metricKey);
  // Every query in one round: the lead-stage metrics are picked in SQL, not from the catalogue.
  const [
    catalogue,
    campaigns,
    { leadCounts, reasonCounts },
    reasons,
    overdue,
    notes,
    metricWeeks,
    crm,
    hindsight,
  ] = await Promise.all([
    repos.metrics.catalogue(workspace.id),
    repos.campaigns.list(workspace.id),
    repos.figures.verdictFigures(workspace.id, bounds),
    repos.reasons.list(workspace.id, { includeRetired: true }),
    repos.figures.overdueAt(workspace.id, bounds.end, workspace.reviewSlaHours, campaignKey),
    repos.contextNotes.forWeeks(
      workspace.id,
      series.map((w) => w.label),
    ),
    repos.figures.metricWeeks(
      workspace.id,
      { keys: [...new Set([...tracked, "spend"])], stages: ["lead"] },
      { first: addWeeks(week, 1 - SERIES_WEEKS), last: week },
      campaignKey,
    ),
    crmStatus({ repos }, { workspaceId: workspace.id }),
    campaignKey === null && opensMonth(week) ? monthlyHindsight(repos, { workspace, week }) : null,
  ]);
  if (campaignKey !== null && !campaigns.some((c) => c.key === campaignKey)) {
    throw new AppError(
      "unknown_campaign",
      `no campaign ${campaignKey}`,
      // Keys are anyone's text; shown in Slack, & < > must not read as markup.
      `There is no campaign "${escapeMrkdwn(campaignKey)}". Campaign keys: ${
        campaigns
          .map((c) => escapeMrkdwn(c.key))
          .slice(0, 20)
          .join(", ") || "none yet"
      }.`,
    );
  }
  const label = formatIsoWeek(week);
  const digest = assembleDigest({
    workspace: {
      id: workspace.id,
      name: workspace.name,
      currency: workspace.currency,
      timeZone,
      northStar: workspace.northStar,
      kpis: workspace.kpis,
      needsContextThresholdPct: workspace.needsContextThresholdPct,
    },
    week: { label, start: weekStartDate(week), end: weekEndDate(week) },
    series,
    campaignKey,
    catalogue,
    metricWeeks,
    campaigns: campaigns.map((c) => ({
      key: c.key,
      name: c.name,
      channel: c.channel,
      owner: c.owner,
    })),
    leadCounts,
    reasonCounts,
    reasons,
    overdue,
    notes: notes.filter(
      (n) =>
        n.week === label &&
        (campaignKey === null || n.campaignKey === null || n.campaignKey === campaignKey),
    ),
    crmTrouble: crmTrouble(crm),
    hindsight,
  });
  return { digest, noteWeeks: [...new Set(notes.map((n) => n.week))] };
}

/**
 * The look back of the digest that opens a month: the newest monthly cohorts mature by the
 * reported week's Sunday, for the whole workspace and never per rep (a channel reads it).
 */
async function monthlyHindsight(
  repos: Repositories,
  input: { workspace: Workspace; week: IsoWeek },
): Promise<HindsightReport | null> {
  const settings = await repos.hindsight.settings(input.workspace.id);
  if (!settings) return null;
  const period = lastMatureMonths(weekEndDate(input.week), settings.conversionWindowDays);
  return buildHindsight(
    { repos },
    {
      workspace: input.workspace,
      // As of the reported week's end, so the months chosen are the ones shown as mature.
      now: weekBounds(input.week, workspaceTimezone(input.workspace)).end,
      since: period.since,
      until: period.until,
      cohortSize: "month",
      viewerIsAdmin: false,
    },
  );
}
