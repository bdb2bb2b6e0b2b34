// The `/leadfit report` answer: the week's figures for one campaign or all, within Slack's limits
// whatever the data.

import type { KnownBlock } from "@slack/types";
import type { Digest } from "../../domain/digest.ts";
import { MAX_KPIS } from "../../domain/metrics.ts";
import { type Caps, fitted } from "./digest-fitting.ts";
import {
  campaignSection,
  campaignTitle,
  feedbackLines,
  kpiLine,
  MAX_BUTTON_VALUE,
  needsContextText,
  notesText,
  reasonLines,
  reportButtonValue,
  summary,
  weekContext,
} from "./digest-sections.ts";
import {
  changesText,
  clean,
  context,
  DIVIDER,
  esc,
  label,
  listText,
  section,
  targetText,
  valueText,
} from "./digest-text.ts";
import { ACTIONS } from "./ids.ts";
import { MAX_FIELD_TEXT, MAX_HEADER_TEXT, MAX_SECTION_TEXT } from "./limits.ts";
import type { Message } from "./message.ts";
import { button, mrkdwn, plain, truncate } from "./text.ts";

export interface ReportMessageInput {
  digest: Digest;
  /** An ephemeral answer cannot carry an uploaded chart: it offers to post the report instead. */
  ephemeral: boolean;
}

function metricLines(digest: Digest, caps: Caps): string[] {
  const lines: string[] = [];
  const ns = digest.northStar;
  if (ns !== null) {
    lines.push(`⭐ *${label(ns, caps)}* ${valueText(ns, digest.currency, caps)}`, changesText(ns));
    const target = targetText(ns, digest.currency);
    if (target) lines.push(`🎯 ${target}`);
  }
  for (const m of digest.kpis.slice(0, MAX_KPIS)) {
    lines.push(kpiLine(m, digest.currency, caps));
  }
  return lines;
}

/**
 * `/leadfit report [campaign]`: the week's figures for one campaign or all, metrics beside lead
 * feedback, then reasons, campaigns and notes. Ephemeral answers cannot carry an uploaded chart,
 * so they offer a button that posts the report, with its chart, to the channel.
 */
export function reportMessage(input: ReportMessageInput): Message {
  const { digest } = input;
  const campaign = campaignTitle(digest);
  const week = clean(digest.week);
  const header = truncate(`Report · ${campaign ?? "all campaigns"} · ${week}`, MAX_HEADER_TEXT);
  const value = reportButtonValue(digest.campaignKey, digest.week);
  const blocks = fitted((caps) => {
    const metrics = metricLines(digest, caps);
    const reasons = reasonLines(digest.feedback, caps);
    const needs = needsContextText(digest, caps, MAX_SECTION_TEXT);
    const out: KnownBlock[] = [
      { type: "header", text: plain(header) },
      weekContext(digest),
      {
        type: "section",
        fields: [
          mrkdwn(
            metrics.length === 0
              ? "*Metrics*\nNo North Star or KPIs chosen yet."
              : listText("*Metrics*", metrics, metrics.length, "line", MAX_FIELD_TEXT),
          ),
          mrkdwn(["*Lead feedback*", ...feedbackLines(digest.feedback)].join("\n")),
        ],
      },
    ];
    if (reasons.length > 0) out.push(section(["*Why not a fit*", ...reasons].join("\n")));
    out.push(
      campaignSection(digest, caps),
      DIVIDER,
      section(notesText(digest, caps, MAX_SECTION_TEXT)),
    );
    if (needs !== null) out.push(section(needs));
    if (input.ephemeral && value.length <= MAX_BUTTON_VALUE) {
      out.push(
        context("Only you can see this, so it has no chart. Post it to share it with its chart."),
        {
          type: "actions",
          elements: [
            button(ACTIONS.reportPostToChannel, "Post to channel with chart", {
              value,
              style: "primary",
            }),
          ],
        },
      );
    }
    return out;
  });
  const text = summary(
    `Report ${esc(campaign ?? "all campaigns", 80)} ${truncate(week, 40)}`,
    digest,
  );
  return { text, blocks };
}
