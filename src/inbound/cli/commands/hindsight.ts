import { z } from "zod";
import { AppError } from "../../../domain/app-error.ts";
import { formatCount, formatMoney, formatPercent } from "../../../domain/figures.ts";
import type { Funnel, HindsightReport } from "../../../domain/hindsight.ts";
import { buildHindsight } from "../../../services/build-hindsight.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";
import { formatTable } from "../table.ts";

const USAGE =
  "leadfit hindsight [--campaign <key>] [--since <date>] [--until <date>] [--cohort week|month]";

const optionsSchema = z.object({
  campaign: z.string().trim().min(1, "--campaign needs a campaign key").optional(),
  since: z.iso.date({ error: "--since must be a date like 2026-01-01" }).optional(),
  until: z.iso.date({ error: "--until must be a date like 2026-12-31" }).optional(),
  cohort: z.enum(["week", "month"], { error: "--cohort is week or month" }).optional(),
});

const VERDICT_NAMES = {
  fit: "Good fit",
  not_yet: "Not yet",
  not_fit: "Not a fit",
  none: "No verdict before an outcome",
} as const;

function funnelRow(name: string, f: Funnel, currency: string): string[] {
  const money = (amount: number | null) => formatMoney(amount, currency);
  return [
    `${name}${f.provisional ? " (provisional)" : ""}`,
    formatCount(f.leads),
    formatCount(f.judged),
    `${f.fit}/${f.notYet}/${f.notFit}`,
    formatCount(f.opportunities),
    formatCount(f.wins),
    money(f.wonAmount),
    money(f.spend),
    money(f.costPerOpportunity),
    money(f.costPerWonDeal),
    f.returnOnSpend === null ? "—" : `${f.returnOnSpend.toFixed(1)}×`,
    f.medianDaysToOpportunity === null ? "—" : String(Math.round(f.medianDaysToOpportunity)),
  ];
}

const FUNNEL_HEADER = [
  "Leads",
  "Judged",
  "Fit/not yet/not fit",
  "Opportunities",
  "Won",
  "Won amount",
  "Spend",
  "Per opportunity",
  "Per won deal",
  "Return",
  "Median days to opp.",
];

/** The hindsight report as plain text tables. */
export function hindsightText(report: HindsightReport): string {
  const { currency } = report;
  const lines = [
    `Hindsight for ${report.campaign ?? "all campaigns"}: leads created ${report.since} – ${report.until} (${report.timeZone}), outcomes as of today.`,
    report.provisional
      ? `Provisional: includes cohorts younger than the ${report.conversionWindowDays}-day conversion window.`
      : `Every cohort is past the ${report.conversionWindowDays}-day conversion window.`,
    "",
    formatTable(
      ["Verdict before the first outcome", "Leads", "Opportunities", "Won", "Won amount"],
      report.verdicts.map((v) => [
        VERDICT_NAMES[v.verdict],
        formatCount(v.leads),
        formatCount(v.reachedOpportunity),
        formatCount(v.won),
        formatMoney(v.wonAmount, currency),
      ]),
    ),
    "",
    `Rejected, then bought: ${report.rejectedThenBought.total} leads judged not a fit reached an opportunity, ${report.rejectedThenBought.won} won (${formatMoney(report.rejectedThenBought.wonAmount, currency)}).`,
    ...report.rejectedThenBought.leads.map(
      (l) =>
        `  ${l.externalId} ${l.company ?? l.email} — ${l.reasons.join(", ") || "no reason"} — judged by ${l.judgedBy} on ${l.judgedAt.toISOString().slice(0, 10)}${l.won ? ` — won ${formatMoney(l.wonAmount, currency)}` : ""}`,
    ),
    `Not yet, then converted: ${report.notYetConverted.reachedOpportunity} of ${report.notYetConverted.leads} not-yet leads reached an opportunity, ${report.notYetConverted.won} won.`,
    `Back from not yet: came back: ${report.cameBack.leads}, of which reached an opportunity ${report.cameBack.reachedOpportunity}.`,
    `Rejected despite meeting the agreed definition: ${report.rejectedDespiteDefinition.leads} leads; ${report.rejectedDespiteDefinition.reachedOpportunity} reached an opportunity, ${report.rejectedDespiteDefinition.won} won.`,
  ];
  if (report.reasons.length > 0)
    lines.push(
      "",
      formatTable(
        ["Reason (not a fit)", "Leads", "Reached an opportunity", "Won", "Proved right"],
        report.reasons.map((r) => [
          r.label,
          formatCount(r.leads),
          formatCount(r.reachedOpportunity),
          formatCount(r.won),
          formatPercent(r.provedRightRate),
        ]),
      ),
    );
  lines.push(
    "",
    formatTable(
      ["Campaign", ...FUNNEL_HEADER],
      [
        ...report.campaigns.map((c) => funnelRow(c.campaign ?? "(no campaign)", c, currency)),
        funnelRow("Total", report.total, currency),
      ],
    ),
    "",
    formatTable(
      [`Cohort (${report.cohortSize})`, ...FUNNEL_HEADER],
      report.cohorts.map((c) => funnelRow(c.start, c, currency)),
    ),
  );
  if (report.reps)
    lines.push(
      "",
      formatTable(
        ["Rep", "Fit: leads/opp.", "Not yet: leads/opp.", "Not a fit: leads/opp."],
        report.reps.map((r) => [
          r.rep,
          ...r.verdicts.map((v) => `${v.leads}/${v.reachedOpportunity}`),
        ]),
      ),
    );
  return lines.join("\n");
}

/** `hindsight`: sales' verdicts checked against what later happened to the leads. */
export async function hindsightCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const parsed = optionsSchema.safeParse(args.options);
  if (!parsed.success)
    throw new AppError(
      "usage",
      "hindsight options",
      `${parsed.error.issues.map((i) => i.message).join("\n")}\nUsage: ${USAGE}`,
    );
  await withWorkspace(ctx, args.workspace, async ({ repos, workspace }) => {
    const report = await buildHindsight(
      { repos },
      {
        workspace,
        now: ctx.now(),
        since: parsed.data.since,
        until: parsed.data.until,
        campaignKey: parsed.data.campaign,
        cohortSize: parsed.data.cohort,
        // Whoever runs the command line runs the server: an operator, so an admin.
        viewerIsAdmin: true,
      },
    );
    ctx.out(hindsightText(report));
  });
}
