// The weekly digest in Slack: one compact message (North Star, KPIs, lead feedback, campaigns,
// once a month hindsight, context notes, metrics that need context, charts, buttons) within
// Slack's limits, whatever the data.

import type { ActionsBlock, Button, ImageBlock, KnownBlock } from "@slack/types";
import type { Digest } from "../../domain/digest.ts";
import { type Caps, fitted } from "./digest-fitting.ts";
import {
  campaignSection,
  campaignTitle,
  feedbackSection,
  kpiSection,
  MAX_BUTTON_VALUE,
  needsContextText,
  northStarSection,
  notesText,
  reportButtonValue,
  summary,
  weekContext,
} from "./digest-sections.ts";
import { clean, DIVIDER, esc, section } from "./digest-text.ts";
import { digestHindsightBlocks } from "./hindsight.ts";
import { ACTIONS } from "./ids.ts";
import { MAX_HEADER_TEXT, MAX_SECTION_TEXT } from "./limits.ts";
import type { Message } from "./message.ts";
import { button, plain, truncate } from "./text.ts";

/** A chart to show in the digest: uploaded to Slack (`slackFileId`) or reachable by URL. */
export interface DigestChart {
  /** An uploaded file that Slack has finished processing. */
  slackFileId?: string;
  /** A public image URL (previews). */
  imageUrl?: string;
  altText: string;
  title: string;
}

export interface DigestMessageInput {
  digest: Digest;
  /** Charts without a file id or URL are left out: post them in the digest's thread. */
  charts: DigestChart[];
  /** After downtime the missed week is posted late, marked as such. */
  late?: boolean;
}

const MAX_IMAGE_URL = 2000;
const MAX_FILE_ID = 100;

function chartBlock(chart: DigestChart, caps: Caps): ImageBlock | null {
  const title = truncate(clean(chart.title), 150);
  const altText = truncate(clean(chart.altText), caps.altText) || title || "Chart";
  const common = { alt_text: altText, ...(title ? { title: plain(title) } : {}) };
  const fileId = chart.slackFileId?.trim();
  if (fileId && fileId.length <= MAX_FILE_ID) {
    return { type: "image", slack_file: { id: fileId }, ...common };
  }
  const url = chart.imageUrl?.trim();
  if (url && url.length <= MAX_IMAGE_URL && /^https?:\/\/\S+$/.test(url)) {
    return { type: "image", image_url: url, ...common };
  }
  return null;
}
function digestActions(digest: Digest): ActionsBlock {
  const pending = Math.max(0, digest.feedback.created - digest.feedback.reviewed);
  const elements: Button[] = [
    button(ACTIONS.digestAddContext, "Add context", { value: digest.week, style: "primary" }),
    button(
      ACTIONS.digestReviewPending,
      pending > 0 ? `Review pending leads (${pending})` : "Review pending leads",
      { value: digest.week },
    ),
  ];
  const report = reportButtonValue(digest.campaignKey, digest.week);
  elements.push(
    button(
      ACTIONS.digestCampaignReport,
      "Campaign report",
      report.length <= MAX_BUTTON_VALUE ? { value: report } : {},
    ),
  );
  return { type: "actions", elements };
}

/**
 * The weekly digest: one compact message within Slack's limits, whatever the data. Charts with a
 * processed upload (or a URL) are image blocks; the others are left for the thread.
 */
export function digestMessage(input: DigestMessageInput): Message {
  const { digest } = input;
  const late = input.late ? " (late)" : "";
  const campaign = campaignTitle(digest);
  const week = clean(digest.week);
  const header = truncate(
    `Weekly digest · ${week}${campaign ? ` · ${campaign}` : ""}${late}`,
    MAX_HEADER_TEXT,
  );
  const blocks = fitted((caps) => {
    const needs = needsContextText(digest, caps, MAX_SECTION_TEXT);
    const charts = input.charts
      .map((chart) => chartBlock(chart, caps))
      .filter((b): b is ImageBlock => b !== null)
      .slice(0, caps.charts);
    return [
      { type: "header", text: plain(header) },
      weekContext(digest),
      ...[northStarSection(digest, caps), kpiSection(digest, caps)].filter(
        (b): b is KnownBlock => b !== null,
      ),
      DIVIDER,
      feedbackSection(digest, caps),
      campaignSection(digest, caps),
      DIVIDER,
      ...(digest.hindsight === null
        ? []
        : [...digestHindsightBlocks(digest.hindsight, caps), DIVIDER]),
      section(notesText(digest, caps, MAX_SECTION_TEXT)),
      ...(needs === null ? [] : [section(needs)]),
      ...charts,
      digestActions(digest),
    ];
  });
  const text = summary(
    `Weekly digest ${truncate(week, 40)}${campaign ? ` · ${esc(campaign, 80)}` : ""}${late}`,
    digest,
  );
  return { text, blocks };
}
