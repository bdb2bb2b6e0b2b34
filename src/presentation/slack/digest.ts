// The weekly digest in Slack: one compact message (North Star, KPIs, lead feedback, campaigns,
// context notes, metrics that need context, charts, buttons), the invitation that opens its
// thread, and the `/leadfit report` answer. Whatever the data, every message stays within Slack's
// limits: lists end with "and N more", and when the whole would pass the size budget the builder
// tries again with shorter texts and fewer lines (see LEVELS).

import type { ActionsBlock, Button, ImageBlock, KnownBlock } from "@slack/types";
import type {
  CampaignFigures,
  Digest,
  DigestNote,
  FeedbackFigures,
  MetricFigure,
  NeedsContext,
} from "../../domain/digest.ts";
import type { Change } from "../../domain/figures.ts";
import { formatChange, formatCount, formatMoney, formatPercent } from "../../domain/figures.ts";
import { isVanityStage, MAX_KPIS, type MetricUnit } from "../../domain/metrics.ts";
import { REASON_OWNERS } from "../../domain/taxonomy.ts";
import { ACTIONS } from "./ids.ts";
import {
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  MAX_MESSAGE_BLOCKS,
  MAX_SECTION_TEXT,
  MESSAGE_JSON_BUDGET,
  type Message,
} from "./limits.ts";
import {
  button,
  escapeAndTruncate,
  mrkdwn,
  oneLine,
  plain,
  plural,
  truncate,
  userMention,
  VERDICT_EMOJI,
} from "./text.ts";

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

export interface ReportMessageInput {
  digest: Digest;
  /** An ephemeral answer cannot carry an uploaded chart: it offers to post the report instead. */
  ephemeral: boolean;
}

/** The most campaign lines in a digest; the rest are counted. */
export const MAX_CAMPAIGN_LINES = 6;
/** The most context notes in a digest; the rest are counted. */
export const MAX_NOTE_LINES = 5;
/** The most "needs context" requests in a digest; the rest are counted. */
export const MAX_NEEDS_CONTEXT_LINES = 5;
/** The most reasons shown per owner group. */
export const MAX_REASONS_PER_GROUP = 3;
/** The most chart images inside the digest message. */
export const MAX_DIGEST_CHARTS = 6;

const MAX_BUTTON_VALUE = 2000;
const MAX_IMAGE_URL = 2000;
const MAX_FILE_ID = 100;
/** Formatted numbers are cut here, so an absurd figure cannot crowd out the message. */
const MAX_FIGURE = 32;
const MAX_PERMALINK = 500;
const MAX_KEY = 40;

/** How long texts may be and how many lines each list shows: one step per attempt. */
interface Caps {
  label: number;
  pairing: number;
  reasonLabel: number;
  reasons: number;
  campaigns: number;
  notes: number;
  noteText: number;
  needs: number;
  charts: number;
  altText: number;
}

/**
 * Tried in order until the message fits in Slack's limits. The last step is small whatever the
 * data (every text in it is bounded), so it always fits.
 */
const LEVELS: readonly Caps[] = [
  {
    label: 80,
    pairing: 200,
    reasonLabel: 60,
    reasons: MAX_REASONS_PER_GROUP,
    campaigns: MAX_CAMPAIGN_LINES,
    notes: MAX_NOTE_LINES,
    noteText: 300,
    needs: MAX_NEEDS_CONTEXT_LINES,
    charts: MAX_DIGEST_CHARTS,
    altText: 500,
  },
  {
    label: 60,
    pairing: 120,
    reasonLabel: 40,
    reasons: MAX_REASONS_PER_GROUP,
    campaigns: MAX_CAMPAIGN_LINES,
    notes: MAX_NOTE_LINES,
    noteText: 150,
    needs: MAX_NEEDS_CONTEXT_LINES,
    charts: MAX_DIGEST_CHARTS,
    altText: 200,
  },
  {
    label: 40,
    pairing: 80,
    reasonLabel: 30,
    reasons: 2,
    campaigns: 4,
    notes: 3,
    noteText: 100,
    needs: 3,
    charts: 4,
    altText: 100,
  },
  {
    label: 30,
    pairing: 60,
    reasonLabel: 24,
    reasons: 1,
    campaigns: 3,
    notes: 2,
    noteText: 60,
    needs: 2,
    charts: 2,
    altText: 60,
  },
  {
    label: 24,
    pairing: 40,
    reasonLabel: 20,
    reasons: 1,
    campaigns: 0,
    notes: 0,
    noteText: 0,
    needs: 0,
    charts: 1,
    altText: 40,
  },
];

// ---------------------------------------------------------------------------------------------
// Text

/** One line of user text without control characters (they would grow sixfold in JSON). */
function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return oneLine(s.replace(/[\u0000-\u001f\u007f-\u009f]/g, " "));
}

/** User text as safe mrkdwn of at most `max` characters. */
function esc(s: string, max: number): string {
  return escapeAndTruncate(clean(s), max);
}

function mention(user: string): string {
  return userMention(truncate(clean(user), 100));
}

function figure(text: string): string {
  return truncate(text, MAX_FIGURE);
}

function money(amount: number | null, currency: string): string {
  return figure(formatMoney(amount, currency));
}

/** A metric's value in its unit: money in the workspace currency, a percentage, or a count. */
function formatValue(unit: MetricUnit, value: number | null, currency: string): string {
  switch (unit) {
    case "currency":
      return money(value, currency);
    case "percent":
      return figure(formatPercent(value));
    default:
      return figure(formatCount(value));
  }
}

/** "↑ +12% (better)", "↓ -3 pts (worse)", "→ 0%"; better or worse as the metric's direction says. */
function trend(c: Change | null, m: Pick<MetricFigure, "unit" | "direction">): string {
  const text = figure(formatChange(c, m.unit === "percent" ? "points" : "relative"));
  if (c === null) return text;
  const up = text.startsWith("+");
  const down = text.startsWith("-");
  if (!up && !down) return `→ ${text}`;
  const better = up === (m.direction === "higher");
  return `${up ? "↑" : "↓"} ${text} (${better ? "better" : "worse"})`;
}

/** "84% of target", "target 40" (no progress computable), or null without a target. */
function targetText(m: MetricFigure, currency: string): string | null {
  if (m.weeklyTarget === null) return null;
  const target = formatValue(m.unit, m.weeklyTarget, currency);
  if (m.progress === null) return `target ${target}`;
  return `${figure(formatPercent(m.progress))} of target (${target})`;
}

/**
 * The figure itself; awareness and engagement figures never stand alone (the vanity rule): they
 * are shown as the outcome they lead to, "impressions 120k → 45 leads → 12 fit".
 */
function valueText(m: MetricFigure, currency: string, caps: Caps): string {
  const value = formatValue(m.unit, m.value, currency);
  if (!isVanityStage(m.stage)) return `*${value}*`;
  if (m.pairing !== null && clean(m.pairing) !== "") return esc(m.pairing, caps.pairing);
  return `${value} _(not tied to an outcome yet)_`;
}

function changesText(m: MetricFigure): string {
  return `${trend(m.changeVsLastWeek, m)} vs last week · ${trend(m.changeVsAverage, m)} vs 4-week avg`;
}

function label(m: MetricFigure, caps: Caps): string {
  return esc(m.label, caps.label) || esc(m.key, caps.label) || "Metric";
}

/**
 * Lines under a heading, as many as fit in `max` characters; the rest are counted ("and 12 more
 * campaigns"). `total` counts every item, including those not passed in `lines`.
 */
function listText(
  heading: string | null,
  lines: readonly string[],
  total: number,
  noun: string,
  max: number,
): string {
  const out = heading === null ? [] : [heading];
  let used = heading?.length ?? 0;
  let shown = 0;
  for (const line of lines) {
    const rest = total - shown - 1;
    const reserve = rest > 0 ? 24 + noun.length : 0;
    if (used + 1 + line.length + reserve > max) break;
    out.push(line);
    used += 1 + line.length;
    shown += 1;
  }
  const rest = total - shown;
  if (rest > 0) {
    out.push(shown === 0 ? plural(rest, noun) : `and ${plural(rest, `more ${noun}`)}`);
  }
  return out.join("\n");
}

function section(text: string): KnownBlock {
  return { type: "section", text: mrkdwn(text) };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [mrkdwn(text)] };
}

const DIVIDER: KnownBlock = { type: "divider" };

// ---------------------------------------------------------------------------------------------
// Sections

function weekContext(digest: Digest): KnownBlock {
  const parts = [
    `${esc(digest.weekStart, 20)} – ${esc(digest.weekEnd, 20)}`,
    esc(digest.timeZone, 60),
    esc(digest.workspaceName, 80),
  ].filter((p) => p !== "");
  return context(parts.join(" · "));
}

/** The campaign key of a campaign report, for headers; null for the whole workspace. */
function campaignTitle(digest: Digest): string | null {
  if (digest.campaignKey === null) return null;
  return truncate(clean(digest.campaignKey), MAX_KEY * 2) || null;
}

function northStarSection(digest: Digest, caps: Caps): KnownBlock | null {
  const m = digest.northStar;
  if (m === null) return null;
  const target = targetText(m, digest.currency);
  return section(
    [
      `⭐ *North Star · ${label(m, caps)}*`,
      valueText(m, digest.currency, caps),
      changesText(m),
      ...(target ? [`🎯 ${target}`] : []),
    ].join("\n"),
  );
}

function kpiLine(m: MetricFigure, currency: string, caps: Caps): string {
  const target = targetText(m, currency);
  return [
    `• *${label(m, caps)}* ${valueText(m, currency, caps)}`,
    changesText(m),
    ...(target ? [target] : []),
    `_${m.stage} · ${m.goal}_`,
  ].join(" · ");
}

function kpiSection(digest: Digest, caps: Caps): KnownBlock | null {
  const kpis = digest.kpis.slice(0, MAX_KPIS);
  if (kpis.length === 0) {
    return digest.northStar === null
      ? context(
          "No North Star or KPIs chosen yet: an admin can pick them in the app's Home tab → Settings.",
        )
      : null;
  }
  const lines = kpis.map((m) => kpiLine(m, digest.currency, caps));
  return section(listText("*KPIs*", lines, digest.kpis.length, "KPI", MAX_SECTION_TEXT));
}

/** Counts, coverage and the fit rate; "No leads this week" when there were none. */
function feedbackLines(f: FeedbackFigures): string[] {
  const rate = `*Fit rate ${formatPercent(f.fitRate)}* _(not yet is left out)_`;
  const lines: string[] = [];
  if (f.created === 0 && f.reviewed === 0) {
    lines.push("No leads this week.", rate);
  } else {
    lines.push(
      `${plural(f.created, "lead")} created · ${f.reviewed} reviewed (${formatPercent(f.coverage)})`,
      `${VERDICT_EMOJI.fit} ${f.fit} good fit · ${VERDICT_EMOJI.not_yet} ${f.notYet} not yet · ${VERDICT_EMOJI.not_fit} ${f.notFit} not a fit`,
      rate,
    );
  }
  if (f.overdue > 0) lines.push(`⏰ ${f.overdue} overdue past the review SLA`);
  if (f.rejectedDespiteDefinition > 0) {
    lines.push(
      `⚠️ ${plural(f.rejectedDespiteDefinition, "lead")} rejected despite meeting the agreed definition`,
    );
  }
  return lines;
}

/** "*Marketing can fix (targeting):* Wrong role or seniority 4 · Company too small 2", per group. */
function reasonLines(f: FeedbackFigures, caps: Caps): string[] {
  return f.reasonsByOwner
    .filter((g) => g.reasons.length > 0)
    .slice(0, REASON_OWNERS.length)
    .map((g) => {
      const shown = g.reasons
        .slice(0, caps.reasons)
        .map((r) => `${esc(r.label, caps.reasonLabel) || esc(r.key, caps.reasonLabel)} ${r.count}`);
      const rest = g.reasons.length - shown.length;
      if (rest > 0) shown.push(`and ${rest} more`);
      return `*${esc(g.label, 40) || g.owner}:* ${shown.join(" · ")}`;
    });
}

function feedbackSection(digest: Digest, caps: Caps): KnownBlock {
  const reasons = reasonLines(digest.feedback, caps);
  return section(
    [
      "*Lead feedback*",
      ...feedbackLines(digest.feedback),
      ...(reasons.length > 0 ? ["*Why not a fit*", ...reasons] : []),
    ].join("\n"),
  );
}

function campaignLine(c: CampaignFigures, digest: Digest, caps: Caps): string {
  const mark = c.key === digest.bestCampaign ? "🏆" : c.key === digest.worstCampaign ? "⚠️" : "•";
  const name = esc(c.name, caps.label) || esc(c.key, caps.label) || "(no name)";
  return `${mark} *${name}* — spend ${money(c.spend, digest.currency)} · ${plural(c.leads, "lead")} · fit rate ${formatPercent(c.fitRate)} · cost per fit lead ${money(c.costPerFitLead, digest.currency)}`;
}

/** The first campaigns (best first), keeping the worst in view when it would be cut. */
function shownCampaigns(digest: Digest, max: number): CampaignFigures[] {
  const shown = digest.campaigns.slice(0, max);
  const worst = digest.campaigns.find((c) => c.key === digest.worstCampaign);
  if (max > 0 && worst && !shown.includes(worst)) shown.splice(max - 1, 1, worst);
  return shown;
}

function campaignSection(digest: Digest, caps: Caps): KnownBlock {
  if (digest.campaigns.length === 0) {
    return section("*Campaigns*\nNo campaign had spend or leads this week.");
  }
  const lines = shownCampaigns(digest, caps.campaigns).map((c) => campaignLine(c, digest, caps));
  return section(
    listText(
      "*Campaigns* · best and worst by cost per fit lead",
      lines,
      digest.campaigns.length,
      "campaign",
      MAX_SECTION_TEXT,
    ),
  );
}

function metricName(digest: Digest, key: string): string {
  const m = [digest.northStar, ...digest.kpis].find((f) => f?.key === key);
  return m?.label ?? key;
}

function safeLink(url: string | null): string | null {
  if (url === null || url.length > MAX_PERMALINK) return null;
  if (!/^https:\/\/[^\s<>|]+$/.test(url)) return null;
  return url.replace(/&/g, "&amp;");
}

function noteLine(note: DigestNote, digest: Digest, caps: Caps): string {
  const tags = [
    note.campaignKey === null ? "" : esc(note.campaignKey, MAX_KEY),
    note.metricKey === null ? "" : esc(metricName(digest, note.metricKey), MAX_KEY),
  ].filter((t) => t !== "");
  const link = safeLink(note.permalink);
  return [
    `• ${mention(note.author)}`,
    tags.length > 0 ? ` (${tags.join(" · ")})` : "",
    `: ${esc(note.text, caps.noteText)}`,
    link ? ` <${link}|message>` : "",
  ].join("");
}

function notesText(digest: Digest, caps: Caps, max: number): string {
  const notes = digest.notes.filter((n) => clean(n.text) !== "");
  if (notes.length === 0) {
    return "*Context*\nNo notes this week. Something the numbers don't show? Use *Add context*.";
  }
  const lines = notes.slice(0, caps.notes).map((n) => noteLine(n, digest, caps));
  return listText("*Context*", lines, notes.length, "note", max);
}

function relativeChange(change: number): string {
  return figure(formatChange({ absolute: change, relative: change }));
}

/** Asks the owner by name; with no owner, asks the channel without @here or @channel. */
function needsContextLine(n: NeedsContext, caps: Caps): string {
  const campaign = n.campaignKey === null ? "" : ` (${esc(n.campaignKey, MAX_KEY)})`;
  const what = `${esc(n.label, caps.label) || esc(n.metricKey, caps.label)}${campaign}`;
  const moved = `${relativeChange(n.change)} against its 4-week average`;
  return n.askUser === null
    ? `• Can someone add context for ${what}? It moved ${moved}.`
    : `• ${mention(n.askUser)}, ${what} moved ${moved} — what happened?`;
}

function needsContextText(digest: Digest, caps: Caps, max: number): string | null {
  if (digest.needsContext.length === 0) return null;
  const lines = digest.needsContext.slice(0, caps.needs).map((n) => needsContextLine(n, caps));
  return listText("*Needs context*", lines, digest.needsContext.length, "metric", max);
}

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

/** The value of the "Campaign report" and "Post to channel" buttons. */
export function reportButtonValue(campaignKey: string | null, week: string): string {
  return JSON.stringify({ campaign: campaignKey, week });
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

// ---------------------------------------------------------------------------------------------
// Fitting

function fits(blocks: readonly KnownBlock[]): boolean {
  return (
    blocks.length <= MAX_MESSAGE_BLOCKS && JSON.stringify(blocks).length <= MESSAGE_JSON_BUDGET
  );
}

/** The richest version of the message that fits Slack's limits. */
function fitted(build: (caps: Caps) => KnownBlock[]): KnownBlock[] {
  let blocks: KnownBlock[] = [];
  for (const caps of LEVELS) {
    blocks = build(caps);
    if (fits(blocks)) return blocks;
  }
  return blocks;
}

function summary(prefix: string, digest: Digest): string {
  const parts: string[] = [];
  const m = digest.northStar;
  if (m !== null) {
    const change =
      m.changeVsLastWeek === null
        ? ""
        : ` (${figure(formatChange(m.changeVsLastWeek, m.unit === "percent" ? "points" : "relative"))} vs last week)`;
    parts.push(`${esc(m.label, 100)} ${formatValue(m.unit, m.value, digest.currency)}${change}`);
  }
  const f = digest.feedback;
  parts.push(`${plural(f.created, "lead")}, fit rate ${formatPercent(f.fitRate)}`);
  parts.push(digest.notes.length === 0 ? "no notes" : plural(digest.notes.length, "note"));
  if (digest.needsContext.length > 0) {
    parts.push(`${plural(digest.needsContext.length, "metric")} need context`);
  }
  return `${prefix}: ${parts.join("; ")}`;
}

// ---------------------------------------------------------------------------------------------
// Messages

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

/** The first reply in the digest's thread: the place to discuss the week and add context. */
export function digestThreadInvite(input: { week: string; needsContext: number }): Message {
  const week = esc(input.week, 40);
  const lines = [
    "💬 *Discuss this week here.* Something the numbers don't show? Use *Add context* to attach a note to the week, a campaign or a metric: it appears in reports and on the charts.",
  ];
  if (input.needsContext > 0) {
    lines.push(
      `${plural(input.needsContext, "metric")} moved sharply without a note: see *Needs context* above.`,
    );
  }
  return {
    text: `Discuss ${week} here. Something the numbers don't show? Use Add context.`,
    blocks: [
      {
        type: "section",
        text: mrkdwn(lines.join("\n")),
        accessory: button(
          ACTIONS.digestAddContext,
          "Add context",
          input.week !== "" && input.week.length <= MAX_BUTTON_VALUE ? { value: input.week } : {},
        ),
      },
    ],
  };
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
