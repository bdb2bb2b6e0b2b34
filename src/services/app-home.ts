import type { CrmConfig } from "../config.ts";
import type { Repositories } from "../db/repositories/index.ts";
import { nextDigest } from "../domain/digest-fire-times.ts";
import { describeTiming, scheduleTimezone } from "../domain/digest-schedule.ts";
import { lastMatureQuarter } from "../domain/hindsight-quarter.ts";
import { compareWeeks, dateInZone, formatIsoWeek, isoWeekOf, weekBounds } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import { crmAuthorizeMissing } from "../outbound/crm/crm-app.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import type { AdminHome, AppHomeInput } from "../presentation/slack/app-home.ts";
import { buildHindsight } from "./build-hindsight.ts";
import { listCampaignAliases } from "./campaign-aliases.ts";
import { crmStatus } from "./crm-status.ts";

export const HOME_PAGE_SIZE = 10;
const MAX_FAILED_RUNS = 5;

/** What the viewer's App Home shows: leads waiting for a verdict, this week's figures, admin notes. */
export async function loadAppHome(
  deps: {
    repos: Repositories;
    admins: AdminDirectory;
    now: () => Date;
    config: { crm: CrmConfig };
  },
  input: { workspace: Workspace; viewerId: string; offset?: number },
): Promise<AppHomeInput> {
  const { repos } = deps;
  const { workspace, viewerId } = input;
  const offset = Math.max(0, input.offset ?? 0);
  const timeZone = workspaceTimezone(workspace);
  const week = isoWeekOf(deps.now(), timeZone);
  const isAdmin = deps.admins.isAdmin(workspace, viewerId);
  // The hindsight query is the home's slowest (about half a second on a big workspace): it runs
  // beside the others, so opening the home waits for the slowest query, not for their sum.
  const [waiting, counts, viewerIsAdmin, definition, campaignList, hindsight, admin] =
    await Promise.all([
      repos.leads.unreviewed(workspace.id, { viewerId, offset, limit: HOME_PAGE_SIZE }),
      repos.figures.leadCountsByCampaign(workspace.id, weekBounds(week, timeZone)),
      isAdmin,
      repos.agreedDefinitions.active(workspace.id),
      repos.campaigns.list(workspace.id),
      isAdmin.then((admin) =>
        quarterHindsight(repos, { workspace, now: deps.now(), viewerIsAdmin: admin }),
      ),
      isAdmin.then((admin) =>
        admin ? adminHome(repos, deps.config.crm, workspace, deps.now()) : undefined,
      ),
    ]);
  const campaigns = new Map(campaignList.map((c) => [c.key, c.name]));
  const sum = (pick: (c: (typeof counts)[number]) => number) =>
    counts.reduce((total, c) => total + pick(c), 0);
  const adminNotices: string[] = [];
  if (viewerIsAdmin && !workspace.salesChannelId) {
    adminNotices.push(
      "No sales channel is set, so lead cards cannot be posted: new leads wait here. Pick one in Settings.",
    );
  }
  if (viewerIsAdmin && !definition) {
    adminNotices.push(
      "No agreed lead definition yet: propose one with `/leadfit definition` so every lead is checked against it.",
    );
  }
  return {
    viewerId,
    isAdmin: viewerIsAdmin,
    leads: waiting.leads.map(({ backFromNotYet, ...lead }) => ({
      lead,
      campaignName: lead.campaignKey ? (campaigns.get(lead.campaignKey) ?? lead.campaignKey) : null,
      backFromNotYet,
    })),
    totalWaiting: waiting.total,
    offset,
    pageSize: HOME_PAGE_SIZE,
    week: {
      label: formatIsoWeek(week),
      created: sum((c) => c.created),
      reviewed: sum((c) => c.reviewed),
      fit: sum((c) => c.fit),
      notYet: sum((c) => c.notYet),
      notFit: sum((c) => c.notFit),
    },
    adminNotices,
    hindsight,
    admin,
  };
}

/**
 * The last mature quarter's hindsight, by month (per rep only for an admin, when turned on); null
 * when the workspace is gone.
 */
async function quarterHindsight(
  repos: Repositories,
  input: { workspace: Workspace; now: Date; viewerIsAdmin: boolean },
): Promise<AppHomeInput["hindsight"]> {
  const settings = await repos.hindsight.settings(input.workspace.id);
  if (!settings) return null;
  const today = dateInZone(input.now, workspaceTimezone(input.workspace));
  const quarter = lastMatureQuarter(today, settings.conversionWindowDays);
  const report = await buildHindsight(
    { repos },
    {
      workspace: input.workspace,
      now: input.now,
      since: quarter.since,
      until: quarter.until,
      cohortSize: "month",
      viewerIsAdmin: input.viewerIsAdmin,
    },
  );
  return { quarter: quarter.label, report };
}

async function adminHome(
  repos: Repositories,
  crmConfig: CrmConfig,
  workspace: Workspace,
  now: Date,
): Promise<AdminHome> {
  const [apiKeys, deliveries, failedCards, schedules, failedRuns, crm, campaignAliases] =
    await Promise.all([
      repos.apiKeys.list(workspace.id),
      repos.webhooks.status(workspace.id),
      repos.outbox.failures(workspace.id, 5),
      repos.schedules.forWorkspace(workspace.id),
      repos.digestRuns.failures(workspace.id, MAX_FAILED_RUNS),
      crmStatus({ repos }, { workspaceId: workspace.id }),
      listCampaignAliases({ repos }, { workspaceId: workspace.id }),
    ]);
  const lastRuns = await repos.digestRuns.latest(
    workspace.id,
    schedules.map((s) => s.id),
  );
  return {
    apiKeys: apiKeys.filter((k) => !k.revokedAt),
    webhook: { url: workspace.webhook?.url ?? null, ...deliveries },
    failedCards,
    crm: crm ?? null,
    crmAuthorizeMissing: {
      hubspot: crmAuthorizeMissing(crmConfig, "hubspot"),
      salesforce: crmAuthorizeMissing(crmConfig, "salesforce"),
    },
    campaignAliases,
    schedules: schedules.map((schedule) => {
      const next = nextDigest(schedule, workspace, now);
      const last = lastRuns.get(schedule.id);
      return {
        id: schedule.id,
        channelId: schedule.channelId,
        timing: describeTiming(schedule),
        timeZone: scheduleTimezone(schedule, workspace),
        enabled: schedule.enabled,
        next: next?.at ?? null,
        nextWeek: next ? formatIsoWeek(next.week) : null,
        skipping:
          next !== null &&
          schedule.skipWeek !== null &&
          compareWeeks(schedule.skipWeek, next.week) === 0,
        last: last
          ? { week: formatIsoWeek(last.week), status: last.status, late: last.late }
          : null,
      };
    }),
    failedRuns: failedRuns.map(({ run, channelId }) => ({
      runId: run.id,
      channelId,
      week: formatIsoWeek(run.week),
      error: run.error,
      retryAt: run.retryAt,
    })),
  };
}
