import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import {
  type CohortSize,
  cohortStarts,
  type HindsightReport,
  hindsightFigures,
  periodEndingOn,
} from "../domain/hindsight.ts";
import { addDays, dateInZone, localMidnight } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { hindsightChart } from "../presentation/charts/hindsight-chart.ts";
import { hindsightMessage } from "../presentation/slack/hindsight.ts";
import type { Message } from "../presentation/slack/message.ts";
import { escapeMrkdwn } from "../presentation/slack/text.ts";

/** How many "rejected, then bought" leads are listed by name (all are counted). */
export const REJECTED_THEN_BOUGHT_LISTED = 20;

/** Weekly cohorts over five years at most: a period longer than that is a typing error. */
const MAX_COHORTS = 261;

/**
 * Sales' verdicts checked against what later happened to the leads created in a period (default:
 * the 12 months before today), per verdict, campaign and cohort. Per-rep figures only when the
 * workspace turned them on and the viewer is an admin.
 */
export async function buildHindsight(
  deps: { repos: Pick<Repositories, "hindsight" | "campaigns" | "reasons"> },
  input: {
    workspace: Workspace;
    now: Date;
    since?: string | undefined;
    until?: string | undefined;
    campaignKey?: string | null | undefined;
    cohortSize?: CohortSize | undefined;
    viewerIsAdmin: boolean;
  },
): Promise<HindsightReport> {
  const { repos } = deps;
  const { workspace } = input;
  const timeZone = workspaceTimezone(workspace);
  const today = dateInZone(input.now, timeZone);
  const until = input.until ?? today;
  const since = input.since ?? periodEndingOn(until).since;
  if (since > until)
    throw new AppError(
      "invalid_request",
      `hindsight since ${since} after until ${until}`,
      `The period starts (${since}) after it ends (${until}).`,
    );
  const cohortSize = input.cohortSize ?? "month";
  const starts = cohortStarts(since, until, cohortSize);
  if (starts.length > MAX_COHORTS)
    throw new AppError(
      "invalid_request",
      `hindsight over ${starts.length} cohorts`,
      "That period is too long: hindsight covers at most five years at a time.",
    );
  const campaignKey = input.campaignKey ?? null;
  if (campaignKey !== null && !(await repos.campaigns.findByKey(workspace.id, campaignKey)))
    throw new AppError(
      "not_found",
      `no campaign ${campaignKey}`,
      `No campaign with the key ${escapeMrkdwn(campaignKey)}.`,
    );
  const settings = await repos.hindsight.settings(workspace.id);
  if (!settings)
    throw new AppError(
      "not_found",
      `workspace ${workspace.id}`,
      "This workspace no longer exists.",
    );
  const scope = {
    workspaceId: workspace.id,
    starts,
    bounds: starts.map((start) => localMidnight(start, timeZone)),
    from: localMidnight(since, timeZone),
    to: localMidnight(addDays(until, 1), timeZone),
    since,
    until,
    campaignKey,
  };
  const [
    { groups, medianDaysToOpportunity, reasons, rejectedThenBought },
    spend,
    reasonList,
    cameBack,
  ] = await Promise.all([
    repos.hindsight.facts(scope, REJECTED_THEN_BOUGHT_LISTED),
    repos.hindsight.spend(scope),
    repos.reasons.list(workspace.id, { includeRetired: true }),
    repos.hindsight.cameBack(scope),
  ]);
  const figures = hindsightFigures({
    since,
    until,
    today,
    cohortSize,
    conversionWindowDays: settings.conversionWindowDays,
    groups,
    medianDaysToOpportunity,
    reasons,
    reasonLabels: new Map(reasonList.map((r) => [r.key, r.label])),
    spend,
    rejectedThenBought,
    perRep: settings.perRep && input.viewerIsAdmin,
  });
  return { ...figures, currency: workspace.currency, timeZone, campaign: campaignKey, cameBack };
}

/** `/leadfit hindsight [campaign]`: the default period's figures as a Slack message. */
export async function hindsightAnswer(
  deps: {
    repos: Pick<Repositories, "hindsight" | "campaigns" | "reasons">;
    admins: { isAdmin(workspace: Workspace, userId: string): Promise<boolean> };
  },
  input: { workspace: Workspace; userId: string; campaignKey: string | null; now: Date },
): Promise<Message> {
  const report = await buildHindsight(deps, {
    workspace: input.workspace,
    now: input.now,
    campaignKey: input.campaignKey,
    viewerIsAdmin: await deps.admins.isAdmin(input.workspace, input.userId),
  });
  return hindsightMessage(report, { ephemeral: true });
}

/**
 * "Post to channel": the default period's hindsight in the channel, its chart as the first reply
 * in the thread. Never per rep: a channel is not admins only.
 */
export async function postHindsight(
  deps: {
    repos: Pick<Repositories, "hindsight" | "campaigns" | "reasons">;
    gateway: SlackGateway;
  },
  input: { workspace: Workspace; campaignKey: string | null; channelId: string; now: Date },
): Promise<void> {
  const report = await buildHindsight(deps, {
    workspace: input.workspace,
    now: input.now,
    campaignKey: input.campaignKey,
    viewerIsAdmin: false,
  });
  const posted = await deps.gateway.postMessage(
    input.channelId,
    hindsightMessage(report, { ephemeral: false }),
  );
  const chart = hindsightChart(report);
  if (!chart) return;
  // Loaded by the first chart, not at start-up, as for the digest.
  const { renderChart } = await import("../presentation/charts/render.ts");
  await deps.gateway.uploadToThread(
    posted.channel,
    posted.ts,
    "Fit rate vs later wins, per cohort",
    [
      {
        filename: "hindsight.png",
        title: "Fit rate vs later wins",
        altText: chart.altText,
        bytes: await renderChart(chart.config),
      },
    ],
  );
}
