import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { backtestLines } from "../../../domain/definition-backtest.ts";
import { formatRuleText } from "../../../domain/definition-rules.ts";
import { formatCount, formatMoney, formatPercent } from "../../../domain/figures.ts";
import { DEFAULT_REASONS } from "../../../domain/taxonomy.ts";
import {
  formatIsoWeek,
  lastCompleteWeek,
  weekEndDate,
  weekStartDate,
} from "../../../domain/week.ts";
import { buildHindsight } from "../../../services/build-hindsight.ts";
import {
  type CampaignWeekReport,
  campaignWeekReport,
} from "../../../services/campaign-week-report.ts";
import { listReasons } from "../../../services/reason-catalogue.ts";
import { seedDemo } from "../../../services/seed-demo.ts";
import { type CliContext, slackTeamOf, withDeps } from "../context.ts";
import { writeDigestPreview } from "../digest-preview.ts";
import { formatTable } from "../table.ts";
import { hindsightText } from "./hindsight.ts";

const DEMO_OUTPUT_DIR = fileURLToPath(new URL("../../../../demo-output/", import.meta.url));

export const LOCAL_DEMO_WORKSPACE = { id: "demo", name: "Demo" };
const DEMO_TIMEZONE = "America/New_York";

export function formatCampaignWeek(
  report: CampaignWeekReport,
  reasonLabels: Map<string, string>,
): string {
  const money = (n: number | null) => formatMoney(n, report.currency);
  return formatTable(
    [
      "Campaign",
      "Spend",
      "Leads",
      "Reviewed",
      "Fit",
      "Not yet",
      "Not a fit",
      "Fit rate",
      "Cost per fit lead",
      "Top reason",
    ],
    report.rows.map((r) => [
      r.campaignKey ?? "(none)",
      money(r.spend),
      formatCount(r.leads),
      formatCount(r.reviewed),
      formatCount(r.fit),
      formatCount(r.notYet),
      formatCount(r.notFit),
      formatPercent(r.fitRate),
      money(r.costPerFitLead),
      r.topReason ? (reasonLabels.get(r.topReason) ?? r.topReason) : "—",
    ]),
  );
}

/** Seeds the demo (into the Slack workspace when one is configured) and prints last week's table. */
export async function demoCommand(ctx: CliContext): Promise<void> {
  const target =
    ctx.config.slack.kind === "single"
      ? await slackTeamOf(ctx.config, ctx.config.slack.botToken)
      : LOCAL_DEMO_WORKSPACE;
  ctx.out(`Opening the database…`);
  await withDeps(ctx, async (deps) => {
    const { repos } = deps;
    ctx.out(`Seeding the demo into workspace ${target.name} (${target.id})…`);
    const result = await seedDemo(deps, {
      workspaceId: target.id,
      workspaceName: target.name,
      timeZone: DEMO_TIMEZONE,
      onProgress: (step) => ctx.out(`  · ${step}`),
    });
    const { workspace } = result;
    ctx.out(
      `Seeded ${result.campaigns} campaigns, ${result.leads} leads, ${result.verdicts} verdicts, ${result.outcomes} outcomes, ${result.metricValues} metric values and ${result.notes} context notes.`,
    );
    const timeZone = workspace.timezone ?? DEMO_TIMEZONE;
    const week = lastCompleteWeek(ctx.now(), timeZone);
    const report = await campaignWeekReport(deps, { workspace, week });
    const reasons = await listReasons(deps, { workspaceId: workspace.id, includeRetired: true });
    const labels = new Map([...DEFAULT_REASONS, ...reasons].map((r) => [r.key, r.label]));
    ctx.out("");
    ctx.out(
      `Last complete week: ${formatIsoWeek(week)} (${weekStartDate(week)} to ${weekEndDate(week)}, ${timeZone})`,
    );
    ctx.out("");
    ctx.out(formatCampaignWeek(report, labels));
    ctx.out("");
    ctx.out('Fit rate leaves out "not yet": right profile, wrong timing is not a bad lead.');
    ctx.out("");
    ctx.out(
      hindsightText(
        await buildHindsight(
          { repos },
          { workspace, now: ctx.now(), cohortSize: "week", viewerIsAdmin: false },
        ),
      ),
    );
    const { definition, backtest } = result.proposal;
    const tried = backtestLines(
      backtest,
      { active: definition.version - 1, proposed: definition.version },
      workspace.currency,
    );
    ctx.out("");
    ctx.out(
      `Pending: version ${definition.version} of the agreed definition, proposed by sales (${formatRuleText(definition.rules).replaceAll("\n", "; ")}), waiting for marketing.`,
    );
    ctx.out(`${tried.heading} ${tried.scope}`);
    for (const line of tried.lines) ctx.out(`  ${line}`);
    const preview = await writeDigestPreview(
      { repos },
      {
        workspace,
        week,
        outDir: DEMO_OUTPUT_DIR,
      },
    );
    ctx.out("");
    ctx.out(
      `The ${formatIsoWeek(week)} digest (Block Kit JSON, charts, a readable page) is in ${preview.dir}`,
    );
    ctx.out(`Open ${join(preview.dir, "index.html")} to read it as it would appear in Slack.`);
  });
}
