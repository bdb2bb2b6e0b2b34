// Text helpers shared by every block builder: escaping, truncation, dates, mentions, and how a
// verdict or a definition check reads. Lengths are counted in UTF-16 code units (JavaScript's
// `length`), never less than Slack's own count, and cuts fall between graphemes so an emoji is
// never split in half.

import type { Button, MrkdwnElement, PlainTextElement } from "@slack/types";
import type { DefinitionCheck } from "../../domain/lead.ts";
import type { Verdict } from "../../domain/verdict.ts";
import { VERDICT_LABELS } from "../../domain/verdict.ts";

export const ELLIPSIS = "…";

// Made on first use: creating it loads ICU's break rules, about 13 ms of every start otherwise.
let segmenter: Intl.Segmenter | undefined;

/**
 * The graphemes of the start of `s`, enough to fill `max` characters: the text is cut well past
 * `max` first, so a long text costs no more than a short one.
 */
function leadingGraphemes(s: string, max: number): string[] {
  segmenter ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  return Array.from(segmenter.segment(s.slice(0, max + 64)), (part) => part.segment);
}

/** The three characters Slack's mrkdwn needs escaped in user text. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** At most `max` characters, ending in "…" when something was cut. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < 1) return "";
  let out = "";
  for (const g of leadingGraphemes(s, max)) {
    if (out.length + g.length + ELLIPSIS.length > max) break;
    out += g;
  }
  return out + ELLIPSIS;
}

/** User text made safe for mrkdwn and cut so the escaped result has at most `max` characters. */
export function escapeAndTruncate(s: string, max: number): string {
  const escaped = escapeMrkdwn(s);
  if (escaped.length <= max) return escaped;
  if (max < 1) return "";
  let out = "";
  for (const g of leadingGraphemes(s, max)) {
    const e = escapeMrkdwn(g);
    if (out.length + e.length + ELLIPSIS.length > max) break;
    out += e;
  }
  return out + ELLIPSIS;
}

/** Collapses line breaks and runs of spaces: for names, titles and other one-line values. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** A value worth showing: null for null, empty or blank text. */
export function present(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const line = oneLine(s);
  return line === "" ? null : line;
}

/** Quotes mrkdwn text as a block quote, line by line. */
export function quote(mrkdwnText: string): string {
  return mrkdwnText
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

/** Mrkdwn code block; backticks in the content are replaced so they cannot close it early. */
export function codeBlock(lines: readonly string[]): string {
  return `\`\`\`\n${lines.map((l) => l.replace(/`/g, "ˋ")).join("\n")}\n\`\`\``;
}

function isoFallback(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Slack's date formatting, shown in the reader's own time zone, with an ISO fallback. */
export function slackDate(date: Date): string {
  if (!Number.isFinite(date.getTime())) return "an unknown time";
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} at {time}|${isoFallback(date)}>`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A calendar date "2027-03-06" as "6 Mar 2027". Written out rather than a Slack date token: a date
 * belongs to the workspace's calendar, and a token would shift it into each reader's zone.
 */
export function dayText(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  const name = month ? MONTHS[month - 1] : undefined;
  return name && day && year !== undefined ? `${day} ${name} ${year}` : date;
}

const SLACK_ID = /^[A-Z0-9]+$/i;

/** `<@U123>`; anything that is not a Slack id (a CRM owner's email, say) is shown as text. */
export function userMention(id: string): string {
  return SLACK_ID.test(id) ? `<@${id}>` : escapeAndTruncate(oneLine(id), 100);
}

/** `<#C123>`; anything that is not a Slack id is shown as text. */
export function channelMention(id: string): string {
  return SLACK_ID.test(id) ? `<#${id}>` : escapeAndTruncate(oneLine(id), 100);
}

/** "1 lead", "37 leads". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function plain(text: string): PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

export function mrkdwn(text: string): MrkdwnElement {
  return { type: "mrkdwn", text };
}

export const VERDICT_EMOJI: Record<Verdict, string> = {
  fit: "✅",
  not_yet: "⏳",
  not_fit: "❌",
};

/** "✅ Good fit". */
export function verdictText(verdict: Verdict): string {
  return `${VERDICT_EMOJI[verdict]} ${VERDICT_LABELS[verdict]}`;
}

const MAX_DEFINITION_LINE = 400;
const MAX_RULE_TEXT = 100;

/**
 * How a lead stands against the agreed definition, as plain text (escape it for mrkdwn):
 * "✓ Meets the agreed definition (v3)", "✗ Misses the agreed definition (v3): region in NA, EU —
 * failed · employees >= 50 — missing", "? No agreed definition yet". At most 400 characters: the
 * failed rules that do not fit are counted ("+3 more").
 */
export function definitionLine(check: DefinitionCheck): string {
  const version = check.version === null ? "" : ` (v${check.version})`;
  if (check.status === "met") return `✓ Meets the agreed definition${version}`;
  if (check.status === "unknown") return "? No agreed definition yet";
  const head = `✗ Misses the agreed definition${version}`;
  if (check.failures.length === 0) return head;
  let line = `${head}: `;
  let shown = 0;
  for (const failure of check.failures) {
    const part = `${truncate(oneLine(failure.text), MAX_RULE_TEXT)} — ${failure.reason}`;
    const rest = check.failures.length - shown - 1;
    const reserve = rest > 0 ? ` · +${rest} more`.length : 0;
    const next = shown === 0 ? part : ` · ${part}`;
    if (line.length + next.length + reserve > MAX_DEFINITION_LINE) break;
    line += next;
    shown += 1;
  }
  const rest = check.failures.length - shown;
  if (rest > 0) line += shown === 0 ? `${rest} rules` : ` · +${rest} more`;
  return line;
}

export function button(actionId: string, text: string, extra: Partial<Button> = {}): Button {
  return { type: "button", action_id: actionId, text: plain(text), ...extra };
}
