import type { ChartConfiguration, ChartDataset } from "chart.js";
import type { CampaignFigures } from "../../domain/digest.ts";
import { VERDICT_COUNT } from "../../domain/figures.ts";
import { VERDICT_LABELS, VERDICTS, type Verdict } from "../../domain/verdict.ts";
import { limitAltText } from "./alt-text.ts";
import { segmentCounts } from "./segment-counts.ts";
import {
  AXIS_TITLE_SIZE,
  FONT_FAMILY,
  font,
  GRID_COLOUR,
  LEGEND_SIZE,
  TEXT_COLOUR,
  TICK_SIZE,
  TITLE_SIZE,
  VERDICT_COLOURS,
} from "./style.ts";

// The verdict chart as a pure chart.js configuration: good fit / not yet / not a fit per
// campaign, one stacked bar each.

/** Campaigns shown by name on the verdict chart; the rest are summed into one bar. */
export const MAX_CHART_CAMPAIGNS = 12;
export const OTHER_CAMPAIGNS = "Other campaigns";

export interface VerdictChartInput {
  campaigns: CampaignFigures[];
  /** The reported ISO week, for the title and alt text. */
  week?: string;
}

export interface VerdictRow {
  label: string;
  fit: number;
  notYet: number;
  notFit: number;
  /** How many campaigns the row sums (more than 1 only for "Other campaigns"). */
  campaigns: number;
}

const MAX_LABEL = 28;

function shortLabel(name: string): string {
  const chars = Array.from(name.trim());
  return chars.length <= MAX_LABEL ? chars.join("") : `${chars.slice(0, MAX_LABEL - 1).join("")}…`;
}

function verdictTotal(c: { fit: number; notYet: number; notFit: number }): number {
  return c.fit + c.notYet + c.notFit;
}

/**
 * Campaigns with at least one verdict, in the digest's order. Past 12, the campaigns with the
 * fewest verdicts are summed into one "Other campaigns" row, shown last.
 */
export function verdictRows(campaigns: readonly CampaignFigures[]): VerdictRow[] {
  const withVerdicts = campaigns.filter((c) => verdictTotal(c) > 0);
  const kept = new Set(
    withVerdicts
      .map((c, order) => ({ c, order }))
      .sort((a, b) => verdictTotal(b.c) - verdictTotal(a.c) || a.order - b.order)
      .slice(0, MAX_CHART_CAMPAIGNS)
      .map(({ c }) => c),
  );
  const rows: VerdictRow[] = [];
  const other: VerdictRow = { label: OTHER_CAMPAIGNS, fit: 0, notYet: 0, notFit: 0, campaigns: 0 };
  for (const c of withVerdicts) {
    if (kept.has(c)) {
      rows.push({ label: c.name, fit: c.fit, notYet: c.notYet, notFit: c.notFit, campaigns: 1 });
    } else {
      other.fit += c.fit;
      other.notYet += c.notYet;
      other.notFit += c.notFit;
      other.campaigns += 1;
    }
  }
  if (other.campaigns > 0) rows.push(other);
  return rows;
}

function verdictDataset(
  rows: readonly VerdictRow[],
  verdict: Verdict,
): ChartDataset<"bar", number[]> {
  return {
    label: VERDICT_LABELS[verdict],
    data: rows.map((r) => r[VERDICT_COUNT[verdict]]),
    backgroundColor: VERDICT_COLOURS[verdict],
    borderColor: "#FFFFFF",
    borderWidth: { right: 1 },
    stack: "verdicts",
    categoryPercentage: 0.8,
    barPercentage: 0.9,
    maxBarThickness: 44,
  };
}

export function verdictChartConfig(input: VerdictChartInput): ChartConfiguration {
  const rows = verdictRows(input.campaigns);
  const labels = rows.map((r) =>
    r.campaigns > 1 ? `${OTHER_CAMPAIGNS} (${r.campaigns})` : shortLabel(r.label),
  );
  return {
    type: "bar",
    data: {
      labels,
      datasets: VERDICTS.map((verdict) => verdictDataset(rows, verdict)),
    },
    plugins: [segmentCounts],
    options: {
      indexAxis: "y",
      responsive: false,
      animation: false,
      font: { family: FONT_FAMILY },
      color: TEXT_COLOUR,
      layout: { padding: { top: 4, right: 16, bottom: 4, left: 8 } },
      plugins: {
        title: {
          display: true,
          text: input.week ? `Verdicts per campaign, ${input.week}` : "Verdicts per campaign",
          color: TEXT_COLOUR,
          font: font(TITLE_SIZE, "bold"),
          padding: { top: 6, bottom: 4 },
        },
        legend: {
          position: "top",
          labels: { font: font(LEGEND_SIZE), color: TEXT_COLOUR, boxWidth: 18, padding: 16 },
        },
      },
      scales: {
        x: {
          stacked: true,
          beginAtZero: true,
          grace: "10%", // room for the totals after the bars
          title: {
            display: true,
            text: "leads with a verdict",
            font: font(AXIS_TITLE_SIZE, "bold"),
            color: TEXT_COLOUR,
          },
          ticks: { font: font(TICK_SIZE), color: TEXT_COLOUR, precision: 0 },
          grid: { color: GRID_COLOUR },
        },
        y: {
          stacked: true,
          ticks: { font: font(TICK_SIZE), color: TEXT_COLOUR, autoSkip: false },
          grid: { display: false },
        },
      },
    },
  };
}

/** The verdict chart in words, with its numbers; at most 2000 characters. */
export function verdictAltText(input: VerdictChartInput): string {
  const rows = verdictRows(input.campaigns);
  const heading = input.week ? `Verdicts per campaign for ${input.week}` : "Verdicts per campaign";
  if (rows.length === 0) return `${heading}: no verdicts.`;
  const parts = rows.map((r) => {
    const name = r.campaigns > 1 ? `${OTHER_CAMPAIGNS} (${r.campaigns} campaigns)` : r.label;
    return `${name} ${r.fit} good fit, ${r.notYet} not yet, ${r.notFit} not a fit`;
  });
  return limitAltText(`${heading}: ${parts.join("; ")}.`);
}
