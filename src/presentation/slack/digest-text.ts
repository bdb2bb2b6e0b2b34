import type { KnownBlock } from "@slack/types";
import type { MetricFigure } from "../../domain/digest.ts";
import type { Change } from "../../domain/figures.ts";
import { formatChange, formatCount, formatMoney, formatPercent } from "../../domain/figures.ts";
import { isVanityStage, type MetricUnit } from "../../domain/metrics.ts";
import type { Caps } from "./digest-fitting.ts";
import { escapeAndTruncate, mrkdwn, oneLine, plural, truncate, userMention } from "./text.ts";

// The digest's texts: user text made safe and short, figures in their units with their trends,
// and lists that end with "and N more".

/** Formatted numbers are cut here, so an absurd figure cannot crowd out the message. */
const MAX_FIGURE = 32;

/** One line of user text without control characters (they would grow sixfold in JSON). */
export function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return oneLine(s.replace(/[\u0000-\u001f\u007f-\u009f]/g, " "));
}

/** User text as safe mrkdwn of at most `max` characters. */
export function esc(s: string, max: number): string {
  return escapeAndTruncate(clean(s), max);
}

export function mention(user: string): string {
  return userMention(truncate(clean(user), 100));
}

export function figure(text: string): string {
  return truncate(text, MAX_FIGURE);
}

export function money(amount: number | null, currency: string): string {
  return figure(formatMoney(amount, currency));
}

/** A metric's value in its unit: money in the workspace currency, a percentage, or a count. */
export function formatValue(unit: MetricUnit, value: number | null, currency: string): string {
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
export function trend(c: Change | null, m: Pick<MetricFigure, "unit" | "direction">): string {
  const text = figure(formatChange(c, m.unit === "percent" ? "points" : "relative"));
  if (c === null) return text;
  const up = text.startsWith("+");
  const down = text.startsWith("-");
  if (!up && !down) return `→ ${text}`;
  const better = up === (m.direction === "higher");
  return `${up ? "↑" : "↓"} ${text} (${better ? "better" : "worse"})`;
}

/** "84% of target", "target 40" (no progress computable), or null without a target. */
export function targetText(m: MetricFigure, currency: string): string | null {
  if (m.weeklyTarget === null) return null;
  const target = formatValue(m.unit, m.weeklyTarget, currency);
  if (m.progress === null) return `target ${target}`;
  return `${figure(formatPercent(m.progress))} of target (${target})`;
}

/**
 * The figure itself; awareness and engagement figures never stand alone (the vanity rule): they
 * are shown as the outcome they lead to, "impressions 120k → 45 leads → 12 fit".
 */
export function valueText(m: MetricFigure, currency: string, caps: Caps): string {
  const value = formatValue(m.unit, m.value, currency);
  if (!isVanityStage(m.stage)) return `*${value}*`;
  if (m.pairing !== null && clean(m.pairing) !== "") return esc(m.pairing, caps.pairing);
  return `${value} _(not tied to an outcome yet)_`;
}

export function changesText(m: MetricFigure): string {
  return `${trend(m.changeVsLastWeek, m)} vs last week · ${trend(m.changeVsAverage, m)} vs 4-week avg`;
}

export function label(m: MetricFigure, caps: Caps): string {
  return esc(m.label, caps.label) || esc(m.key, caps.label) || "Metric";
}

/**
 * Lines under a heading, as many as fit in `max` characters; the rest are counted ("and 12 more
 * campaigns"). `total` counts every item, including those not passed in `lines`.
 */
export function listText(
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

export function section(text: string): KnownBlock {
  return { type: "section", text: mrkdwn(text) };
}

export function context(text: string): KnownBlock {
  return { type: "context", elements: [mrkdwn(text)] };
}

export const DIVIDER: KnownBlock = { type: "divider" };
