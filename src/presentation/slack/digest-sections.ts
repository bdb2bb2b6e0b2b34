import type { KnownBlock } from "@slack/types";
import type {
  CampaignFigures,
  Digest,
  DigestNote,
  FeedbackFigures,
  MetricFigure,
  NeedsContext,
} from "../../domain/digest.ts";
import { formatChange, formatPercent } from "../../domain/figures.ts";
import { MAX_KPIS } from "../../domain/metrics.ts";
import { REASON_OWNERS } from "../../domain/taxonomy.ts";
import type { Caps } from "./digest-fitting.ts";
import {
  changesText,
  clean,
  context,
  esc,
  figure,
  formatValue,
  label,
  listText,
  mention,
  money,
  section,
  targetText,
  valueText,
} from "./digest-text.ts";
import { MAX_SECTION_TEXT } from "./limits.ts";
import { plural, truncate, VERDICT_EMOJI } from "./text.ts";

// The parts the digest and the report share: the week, the figures, lead feedback, campaigns,
// context notes and the requests for context, and the notification text.

/** Button values longer than this are left out. */
export const MAX_BUTTON_VALUE = 2000;
const MAX_PERMALINK = 500;
const MAX_KEY = 40;

export function weekContext(digest: Digest): KnownBlock {
  const parts = [
    `${esc(digest.weekStart, 20)} – ${esc(digest.weekEnd, 20)}`,
    esc(digest.timeZone, 60),
    esc(digest.workspaceName, 80),
  ].filter((p) => p !== "");
  // Written by the app from fixed words and counts: no user text to escape.
  return context(`${parts.join(" · ")}${digest.crmTrouble ? `\n${digest.crmTrouble}` : ""}`);
}

/** The campaign key of a campaign report, for headers; null for the whole workspace. */
export function campaignTitle(digest: Digest): string | null {
  if (digest.campaignKey === null) return null;
  return truncate(clean(digest.campaignKey), MAX_KEY * 2) || null;
}

export function northStarSection(digest: Digest, caps: Caps): KnownBlock | null {
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

export function kpiLine(m: MetricFigure, currency: string, caps: Caps): string {
  const target = targetText(m, currency);
  return [
    `• *${label(m, caps)}* ${valueText(m, currency, caps)}`,
    changesText(m),
    ...(target ? [target] : []),
    `_${m.stage} · ${m.goal}_`,
  ].join(" · ");
}

export function kpiSection(digest: Digest, caps: Caps): KnownBlock | null {
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
export function feedbackLines(f: FeedbackFigures): string[] {
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
export function reasonLines(f: FeedbackFigures, caps: Caps): string[] {
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

export function feedbackSection(digest: Digest, caps: Caps): KnownBlock {
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

export function campaignSection(digest: Digest, caps: Caps): KnownBlock {
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

export function notesText(digest: Digest, caps: Caps, max: number): string {
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

export function needsContextText(digest: Digest, caps: Caps, max: number): string | null {
  if (digest.needsContext.length === 0) return null;
  const lines = digest.needsContext.slice(0, caps.needs).map((n) => needsContextLine(n, caps));
  return listText("*Needs context*", lines, digest.needsContext.length, "metric", max);
}

/** The value of the "Campaign report" and "Post to channel" buttons. */
export function reportButtonValue(campaignKey: string | null, week: string): string {
  return JSON.stringify({ campaign: campaignKey, week });
}
export function summary(prefix: string, digest: Digest): string {
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
