import type { ChartConfiguration } from "chart.js";
import type { HindsightReport } from "../../domain/hindsight.ts";
import { limitAltText } from "./alt-text.ts";
import { font, TITLE_SIZE, VERDICT_COLOURS } from "./style.ts";

// Hindsight as a chart: per cohort, the fit rate sales gave the leads beside the share of them
// that later won. A pure chart.js configuration, and its numbers in words.

const percent = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 10;

export interface HindsightChart {
  config: ChartConfiguration;
  altText: string;
}

/** Fit rate and later win rate per cohort; null when no cohort has a lead. */
export function hindsightChart(report: HindsightReport): HindsightChart | null {
  const cohorts = report.cohorts.filter((c) => c.leads > 0);
  if (cohorts.length === 0) return null;
  const labels = cohorts.map((c) => `${c.start}${c.provisional ? "*" : ""}`);
  const fitRates = cohorts.map((c) => percent(c.fit, c.fit + c.notFit));
  const winRates = cohorts.map((c) => percent(c.wins, c.leads));
  const show = (v: number | null) => (v === null ? "—" : `${v}%`);
  const altText = limitAltText(
    `Hindsight per ${report.cohortSize} cohort, ${report.since} to ${report.until}: ${cohorts
      .map(
        (c, i) =>
          `${c.start}${c.provisional ? " (provisional)" : ""} fit rate ${show(fitRates[i] ?? null)}, later won ${show(winRates[i] ?? null)} of ${c.leads} leads`,
      )
      .join("; ")}.`,
  );
  return {
    altText,
    config: {
      type: "bar",
      data: {
        labels,
        datasets: [
          {
            label: "Fit rate (sales' verdicts)",
            data: fitRates,
            backgroundColor: VERDICT_COLOURS.fit,
          },
          { label: "Later won (share of leads)", data: winRates, backgroundColor: "#7b61ff" },
        ],
      },
      options: {
        animation: false,
        plugins: {
          title: {
            display: true,
            text: `Fit rate vs later wins, per ${report.cohortSize} (* provisional)`,
            font: font(TITLE_SIZE, "bold"),
          },
        },
        scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (v) => `${v}%` } } },
      },
    },
  };
}
