// The `/leadfit hindsight [campaign]` answer: sales' verdicts beside what later happened to the
// leads, within Slack's limits whatever the data (lists are cut and counted).

import type { KnownBlock } from "@slack/types";
import { fitRate, formatCount, formatPercent } from "../../domain/figures.ts";
import type {
  Funnel,
  HindsightReport,
  HindsightVerdict,
  VerdictOutcomes,
} from "../../domain/hindsight.ts";
import { VERDICT_LABELS } from "../../domain/verdict.ts";
import type { Caps } from "./digest-fitting.ts";
import { MAX_BUTTON_VALUE } from "./digest-sections.ts";
import { context, DIVIDER, esc, figure, listText, mention, money, section } from "./digest-text.ts";
import { ACTIONS } from "./ids.ts";
import { MAX_FIELD_TEXT, MAX_HEADER_TEXT, MAX_SECTION_TEXT } from "./limits.ts";
import type { Message } from "./message.ts";
import { button, mrkdwn, plain, plural, truncate, VERDICT_EMOJI } from "./text.ts";

/** Lines per list: enough to act on, few enough that the message stays readable. */
const LISTED = { leads: 5, reasons: 5, campaigns: 8, cohorts: 6, reps: 10 } as const;
const MAX_NAME = 80;

const VERDICT_HEADINGS: Record<HindsightVerdict, string> = {
  fit: `${VERDICT_EMOJI.fit} ${VERDICT_LABELS.fit}`,
  not_yet: `${VERDICT_EMOJI.not_yet} ${VERDICT_LABELS.not_yet}`,
  not_fit: `${VERDICT_EMOJI.not_fit} ${VERDICT_LABELS.not_fit}`,
  none: "No verdict before an outcome",
};

/** "12 leads → 5 opportunities → 2 won ($24,000)" */
function outcomesText(o: VerdictOutcomes, currency: string): string {
  const won = o.won > 0 ? ` (${money(o.wonAmount, currency)})` : "";
  return `${plural(o.leads, "lead")} → ${plural(o.reachedOpportunity, "opportunity", "opportunities")} → ${figure(formatCount(o.won))} won${won}`;
}

const PROVISIONAL = " _(provisional)_";

function ratioText(value: number | null): string {
  return value === null ? "—" : `${value.toFixed(1)}×`;
}

/** "34 leads → 30 judged (12 ✅ 8 ⏳ 10 ❌) → 9 opportunities → 3 won ($48,000)" */
function funnelText(f: Funnel, currency: string): string {
  const won = f.wins > 0 ? ` (${money(f.wonAmount, currency)})` : "";
  return `${plural(f.leads, "lead")} → ${formatCount(f.judged)} judged (${f.fit} ${VERDICT_EMOJI.fit} ${f.notYet} ${VERDICT_EMOJI.not_yet} ${f.notFit} ${VERDICT_EMOJI.not_fit}) → ${plural(f.opportunities, "opportunity", "opportunities")} → ${formatCount(f.wins)} won${won}${f.provisional ? PROVISIONAL : ""}`;
}

/** Spend against outcomes: "spend $9,000 · $1,000 per opportunity · $3,000 per won deal · return 5.3×" */
function moneyText(f: Funnel, currency: string): string {
  const median =
    f.medianDaysToOpportunity === null
      ? ""
      : ` · median ${Math.round(f.medianDaysToOpportunity)} days to opportunity`;
  if (f.spend === null) return `no spend recorded${median}`;
  return `spend ${money(f.spend, currency)} · ${money(f.costPerOpportunity, currency)} per opportunity · ${money(f.costPerWonDeal, currency)} per won deal · return on spend ${ratioText(f.returnOnSpend)}${median}`;
}

export function hindsightMessage(
  report: HindsightReport,
  options: { ephemeral: boolean },
): Message {
  const { currency } = report;
  const scope = report.campaign === null ? "all campaigns" : esc(report.campaign, MAX_NAME);
  const header = truncate(
    `Hindsight · ${report.campaign ?? "all campaigns"} · ${report.since} – ${report.until}`,
    MAX_HEADER_TEXT,
  );
  const blocks: KnownBlock[] = [
    { type: "header", text: plain(header) },
    context(
      `Leads created ${report.since} – ${report.until} (${report.timeZone}), ${scope}; outcomes as of today. A verdict counts as given before the lead's first outcome.${
        report.provisional
          ? ` *Provisional*: includes leads younger than the ${report.conversionWindowDays}-day conversion window; their figures can still grow.`
          : ""
      }`,
    ),
    {
      type: "section",
      fields: report.verdicts.map((v) =>
        mrkdwn(
          truncate(
            `*${VERDICT_HEADINGS[v.verdict]}*\n${outcomesText(v, currency)}`,
            MAX_FIELD_TEXT,
          ),
        ),
      ),
    },
    section(
      truncate(
        `*All leads*\n${funnelText(report.total, currency)}\n${moneyText(report.total, currency)}`,
        MAX_SECTION_TEXT,
      ),
    ),
    DIVIDER,
  ];

  const rejected = report.rejectedThenBought;
  blocks.push(
    section(
      rejected.total === 0
        ? "*Rejected, then bought*\nNo lead judged not a fit has reached an opportunity."
        : listText(
            `*Rejected, then bought*: ${plural(rejected.total, "lead")} judged not a fit later reached an opportunity; ${formatCount(rejected.won)} won (${money(rejected.wonAmount, currency)}).`,
            rejected.leads
              .slice(0, LISTED.leads)
              .map(
                (lead) =>
                  `• ${esc(lead.company ?? lead.email, MAX_NAME)} — ${lead.reasons.map((r) => esc(report.reasons.find((x) => x.reason === r)?.label ?? r, 40)).join(", ") || "no reason"} — by ${mention(lead.judgedBy)}${lead.won ? ` — won ${money(lead.wonAmount, currency)}` : ""}`,
              ),
            rejected.total,
            "lead",
            MAX_SECTION_TEXT,
          ),
    ),
  );

  if (report.reasons.length > 0)
    blocks.push(
      section(
        listText(
          "*Reasons in hindsight* (not-a-fit leads citing each; proved right = never reached an opportunity)",
          report.reasons
            .slice(0, LISTED.reasons)
            .map(
              (r) =>
                `• ${esc(r.label, 60)}: ${plural(r.leads, "lead")}, ${formatCount(r.reachedOpportunity)} reached an opportunity — proved right ${formatPercent(r.provedRightRate)}`,
            ),
          report.reasons.length,
          "reason",
          MAX_SECTION_TEXT,
        ),
      ),
    );

  const notYet = report.notYetConverted;
  const despite = report.rejectedDespiteDefinition;
  blocks.push(
    section(
      `*Not yet, then converted*: ${formatCount(notYet.reachedOpportunity)} of ${plural(notYet.leads, "not-yet lead")} reached an opportunity, ${formatCount(notYet.won)} won.\n*Back from not yet*: ${cameBackText(report)}.\n*Rejected despite meeting the agreed definition*: ${plural(despite.leads, "lead")}; ${formatCount(despite.reachedOpportunity)} later reached an opportunity, ${formatCount(despite.won)} won.`,
    ),
    DIVIDER,
  );

  if (report.campaign === null && report.campaigns.length > 0)
    blocks.push(
      section(
        listText(
          "*Campaigns*",
          report.campaigns
            .slice(0, LISTED.campaigns)
            .map(
              (c) =>
                `• *${c.campaign === null ? "(no campaign)" : esc(c.campaign, MAX_NAME)}*: ${funnelText(c, currency)}; ${moneyText(c, currency)}`,
            ),
          report.campaigns.length,
          "campaign",
          MAX_SECTION_TEXT,
        ),
      ),
    );

  const cohorts = report.cohorts.slice(-LISTED.cohorts).reverse();
  if (cohorts.length > 0)
    blocks.push(
      section(
        listText(
          `*Cohorts* (leads created in each ${report.cohortSize}, newest first)`,
          cohorts.map((c) => `• ${c.start}: ${funnelText(c, currency)}`),
          report.cohorts.length,
          "cohort",
          MAX_SECTION_TEXT,
        ),
      ),
    );

  const reps = repsSection(report);
  if (reps) blocks.push(reps);

  const value = JSON.stringify({ campaign: report.campaign });
  if (options.ephemeral && value.length <= MAX_BUTTON_VALUE)
    blocks.push(
      context("Only you can see this, so it has no chart. Post it to share it with its chart."),
      {
        type: "actions",
        elements: [
          button(ACTIONS.hindsightPostToChannel, "Post to channel with chart", {
            value,
            style: "primary",
          }),
        ],
      },
    );

  const total = report.total;
  return {
    text: truncate(
      `Hindsight for ${scope}, ${report.since} – ${report.until}: ${total.leads} leads, ${total.opportunities} reached an opportunity, ${total.wins} won; ${rejected.total} rejected, then bought.`,
      MAX_SECTION_TEXT,
    ),
    blocks,
  };
}

/** Each rep's verdicts and how many of those leads reached an opportunity; null when not shown. */
function repsSection(report: HindsightReport): KnownBlock | null {
  if (report.reps === null || report.reps.length === 0) return null;
  return section(
    listText(
      "*Per rep* (admins only): of each rep's verdicts, how many leads reached an opportunity",
      report.reps
        .slice(0, LISTED.reps)
        .map(
          (r) =>
            `• ${mention(r.rep)}: ${r.verdicts
              .map(
                (v) =>
                  `${VERDICT_EMOJI[v.verdict]} ${formatCount(v.reachedOpportunity)}/${formatCount(v.leads)}`,
              )
              .join("  ")}`,
        ),
      report.reps.length,
      "rep",
      MAX_SECTION_TEXT,
    ),
  );
}

/** "Came back: 4, of which reached an opportunity 1": the leads back from not yet. */
function cameBackText(report: HindsightReport): string {
  return `came back: ${formatCount(report.cameBack.leads)}, of which reached an opportunity ${formatCount(report.cameBack.reachedOpportunity)}`;
}

/** "2026-03: fit rate 40% → later won 8% (4 of 50 leads, $48,000)" */
function cohortLine(c: HindsightReport["cohorts"][number], currency: string): string {
  const wonShare = c.leads === 0 ? null : c.wins / c.leads;
  const amount = c.wins > 0 ? `, ${money(c.wonAmount, currency)}` : "";
  return `• ${c.start.slice(0, 7)}: fit rate ${formatPercent(fitRate(c))} → later won ${formatPercent(wonShare)} (${formatCount(c.wins)} of ${plural(c.leads, "lead")}${amount})${c.provisional ? PROVISIONAL : ""}`;
}

/**
 * The digest's monthly look back: per mature monthly cohort, the fit rate sales gave beside the
 * share that later won; the rejected leads that bought and their top reasons; the leads back from
 * not yet. Lists shrink with the digest's caps, so the whole digest stays within Slack's limits.
 */
export function digestHindsightBlocks(report: HindsightReport, caps: Caps): KnownBlock[] {
  const heading = `*Hindsight* · leads created ${report.since} – ${report.until}, the months past the ${report.conversionWindowDays}-day conversion window; outcomes as of today`;
  if (report.total.leads === 0)
    return [section(`${heading}\nNo lead was created in those months.`)];
  const rejected = report.rejectedThenBought;
  const topReasons = report.reasons
    .filter((r) => r.reachedOpportunity > 0)
    .slice(0, caps.reasons)
    .map(
      (r) =>
        `${esc(r.label, caps.reasonLabel) || esc(r.reason, caps.reasonLabel)} (${formatCount(r.reachedOpportunity)} of ${formatCount(r.leads)})`,
    );
  const rejectedText =
    rejected.total === 0
      ? "*Rejected, then bought*: no lead judged not a fit reached an opportunity."
      : `*Rejected, then bought*: ${plural(rejected.total, "lead")} judged not a fit later reached an opportunity, ${formatCount(rejected.won)} won (${money(rejected.wonAmount, report.currency)}).${topReasons.length > 0 ? ` Top reasons: ${topReasons.join(", ")}.` : ""}`;
  const notYet = report.notYetConverted;
  return [
    section(
      truncate(
        [
          heading,
          ...report.cohorts.filter((c) => c.leads > 0).map((c) => cohortLine(c, report.currency)),
        ].join("\n"),
        MAX_SECTION_TEXT,
      ),
    ),
    section(
      truncate(
        `${rejectedText}\n*Back from not yet*: ${cameBackText(report)}; of ${plural(notYet.leads, "not-yet lead")}, ${formatCount(notYet.reachedOpportunity)} reached an opportunity, ${formatCount(notYet.won)} won.`,
        MAX_SECTION_TEXT,
      ),
    ),
  ];
}

/**
 * App Home's compact hindsight: the last mature quarter's verdicts beside what became of those
 * leads, for everyone; per rep only when the report carries it (turned on, and an admin viewing).
 */
export function hindsightHomePanel(input: {
  quarter: string;
  report: HindsightReport;
}): KnownBlock[] {
  const { report } = input;
  const heading = section(
    `*Hindsight · ${esc(input.quarter, 20)}* — leads created ${report.since} – ${report.until}, the last quarter past the ${report.conversionWindowDays}-day conversion window; outcomes as of today`,
  );
  if (report.total.leads === 0) return [heading, context("No lead was created in that quarter.")];
  const rejected = report.rejectedThenBought;
  const blocks: KnownBlock[] = [
    heading,
    {
      type: "section",
      fields: report.verdicts.map((v) =>
        mrkdwn(
          truncate(
            `*${VERDICT_HEADINGS[v.verdict]}*\n${outcomesText(v, report.currency)}`,
            MAX_FIELD_TEXT,
          ),
        ),
      ),
    },
    context(
      `Rejected, then bought: ${plural(rejected.total, "lead")}, ${formatCount(rejected.won)} won (${money(rejected.wonAmount, report.currency)}). Back from not yet: ${cameBackText(report)}. \`/leadfit hindsight\` for the whole report.`,
    ),
  ];
  const reps = repsSection(report);
  if (reps) blocks.push(reps);
  return blocks;
}
