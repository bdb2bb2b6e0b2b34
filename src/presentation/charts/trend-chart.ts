import type { Chart, ChartConfiguration, ChartDataset, LegendItem, ScaleOptions } from "chart.js";
import type { MetricFigure } from "../../domain/digest.ts";
import { limitAltText, listText, seriesText } from "./alt-text.ts";
import { formatFigure } from "./format-figure.ts";
import {
  AXIS_TITLE_SIZE,
  FONT_FAMILY,
  font,
  GRID_COLOUR,
  KPI_COLOURS,
  LEGEND_SIZE,
  PALETTE,
  SUBTITLE_SIZE,
  TEXT_COLOUR,
  TICK_SIZE,
  TITLE_SIZE,
} from "./style.ts";
import { chartWeeks, indexSeries, valuesByWeek, weekTick } from "./weeks.ts";

// The trend chart as a pure chart.js configuration: the North Star in its own units, KPIs as an
// index, weeks with context notes marked.

export const NOTE_LABEL = "Week with a context note";
export const INDEX_AXIS_TITLE = "index, first week = 100";

export interface TrendChartInput {
  northStar: MetricFigure | null;
  kpis: MetricFigure[];
  /** ISO weeks that have context notes. */
  noteWeeks: string[];
  currency: string;
}

type LineDataset = ChartDataset<"line", (number | null)[]>;

function trendWeeks({ northStar, kpis }: TrendChartInput): string[] {
  return chartWeeks(northStar ? [northStar, ...kpis] : kpis);
}

export function trendChartConfig(input: TrendChartInput): ChartConfiguration {
  const weeks = trendWeeks(input);
  const datasets = trendDatasets(input, weeks);
  const hasIndex = datasets.some((d) => d.yAxisID === "index");
  return {
    type: "line",
    data: { labels: weeks, datasets },
    options: {
      responsive: false,
      animation: false,
      font: { family: FONT_FAMILY },
      color: TEXT_COLOUR,
      layout: { padding: { top: 4, right: 12, bottom: 4, left: 8 } },
      plugins: trendPlugins(input, weeks, hasIndex),
      scales: trendScales(input, weeks, hasIndex),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Datasets

/** The North Star and its target, the charted KPIs, then the note markers on the main line. */
function trendDatasets(input: TrendChartInput, weeks: readonly string[]): LineDataset[] {
  const { northStar } = input;
  const northStarLines = northStar ? northStarDatasets(northStar, weeks, input.currency) : [];
  const kpiLines = kpiDatasets(input.kpis, weeks);
  // The line the note markers sit on: the North Star, else the first charted KPI.
  const main = northStarLines[0] ?? kpiLines[0];
  const notes = main ? noteMarkers(main, weeks, input.noteWeeks) : null;
  return [...northStarLines, ...kpiLines, ...(notes ? [notes] : [])];
}

function northStarDatasets(
  northStar: MetricFigure,
  weeks: readonly string[],
  currency: string,
): LineDataset[] {
  const line: LineDataset = {
    label: northStar.label,
    data: valuesByWeek(northStar, weeks),
    yAxisID: "value",
    borderColor: PALETTE.blue,
    backgroundColor: PALETTE.blue,
    borderWidth: 4,
    pointRadius: 3.5,
    spanGaps: false,
    order: 1,
  };
  if (northStar.weeklyTarget === null) return [line];
  const target: LineDataset = {
    label: `Weekly target (${formatFigure(northStar.weeklyTarget, northStar.unit, currency)})`,
    data: weeks.map(() => northStar.weeklyTarget),
    yAxisID: "value",
    borderColor: PALETTE.black,
    backgroundColor: PALETTE.black,
    borderWidth: 2,
    borderDash: [8, 6],
    pointRadius: 0,
    spanGaps: false,
    order: 3,
  };
  return [line, target];
}

/** One indexed line per KPI with a figure above zero; the colour follows the KPI's position. */
function kpiDatasets(kpis: readonly MetricFigure[], weeks: readonly string[]): LineDataset[] {
  return kpis.flatMap((kpi, i) => {
    const indexed = indexSeries(valuesByWeek(kpi, weeks));
    if (indexed === null) return [];
    const colour = KPI_COLOURS[i % KPI_COLOURS.length] ?? PALETTE.orange;
    return [
      {
        label: kpi.label,
        data: indexed,
        yAxisID: "index",
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
        pointRadius: 2.5,
        spanGaps: false,
        order: 2,
      },
    ];
  });
}

/** Weeks with notes get a large diamond on the main line; null when no charted week has one. */
function noteMarkers(
  main: LineDataset,
  weeks: readonly string[],
  noteWeeks: readonly string[],
): LineDataset | null {
  const notes = new Set(noteWeeks);
  if (!weeks.some((w) => notes.has(w))) return null;
  return {
    label: NOTE_LABEL,
    data: weeks.map((w, i) => (notes.has(w) ? (main.data[i] ?? null) : null)),
    yAxisID: main.yAxisID,
    showLine: false,
    pointStyle: "rectRot",
    pointRadius: 9,
    pointBorderWidth: 2,
    borderColor: PALETTE.black,
    backgroundColor: PALETTE.yellow,
    order: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Title, legend, tooltip and axes

type LineOptions = NonNullable<ChartConfiguration<"line">["options"]>;

function trendPlugins(
  input: TrendChartInput,
  weeks: readonly string[],
  hasIndex: boolean,
): LineOptions["plugins"] {
  const unit = input.northStar?.unit ?? "count";
  return {
    title: {
      display: true,
      text: input.northStar ? `${input.northStar.label} per week` : "KPIs per week",
      color: TEXT_COLOUR,
      font: font(TITLE_SIZE, "bold"),
      padding: { top: 6, bottom: 2 },
    },
    subtitle: {
      display: true,
      text: trendSubtitle(weeks, hasIndex),
      color: TEXT_COLOUR,
      font: font(SUBTITLE_SIZE),
      padding: { bottom: 8 },
    },
    legend: {
      position: "bottom",
      labels: {
        font: font(LEGEND_SIZE),
        color: TEXT_COLOUR,
        boxHeight: 12,
        pointStyleWidth: 32,
        padding: 16,
        // The note marker shows its diamond; lines show as lines (the target's dashed).
        usePointStyle: true,
        generateLabels: legendLabels,
      },
    },
    tooltip: {
      callbacks: {
        label: (item) => {
          const dataset = item.dataset as ChartDataset<"line">;
          if (dataset.label === NOTE_LABEL) return "note";
          if (dataset.yAxisID === "index") return `${dataset.label}: ${item.formattedValue}`;
          return `${dataset.label}: ${formatFigure(item.parsed.y, unit, input.currency)}`;
        },
      },
    },
  };
}

function trendSubtitle(weeks: readonly string[], hasIndex: boolean): string {
  const range = weeks.length > 0 ? `${weeks[0]} to ${weeks[weeks.length - 1]}` : "no weeks";
  return hasIndex ? `${range} · KPIs indexed, first week = 100` : range;
}

/**
 * Legend items in dataset order, lines drawn as lines (with the point style chart.js would take
 * the first point's style and lose the target's dashes), the note marker as its diamond.
 */
function legendLabels(chart: Chart): LegendItem[] {
  const { defaults } = chart.constructor as typeof Chart;
  return defaults.plugins.legend.labels
    .generateLabels(chart)
    .sort((a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0))
    .map((item) => {
      const dataset = chart.data.datasets[item.datasetIndex ?? 0] as ChartDataset<"line">;
      if (dataset.label === NOTE_LABEL) return item;
      return {
        ...item,
        pointStyle: "line" as const,
        lineDash: (dataset.borderDash as number[] | undefined) ?? [],
        lineWidth: typeof dataset.borderWidth === "number" ? dataset.borderWidth : 2,
        strokeStyle: dataset.borderColor as string,
      };
    });
}

/** Weeks along x; the North Star's own units on the left, the KPIs' index beside them. */
function trendScales(
  input: TrendChartInput,
  weeks: readonly string[],
  hasIndex: boolean,
): Record<string, ScaleOptions<"linear" | "category">> {
  const { northStar } = input;
  return {
    x: {
      ticks: {
        font: font(TICK_SIZE),
        color: TEXT_COLOUR,
        autoSkip: false,
        maxRotation: 0,
        callback: (_value, index) => weekTick(weeks, index),
      },
      grid: { color: GRID_COLOUR },
    },
    ...(northStar ? { value: valueScale(northStar, input.currency) } : {}),
    ...(hasIndex
      ? {
          index: {
            type: "linear" as const,
            position: northStar ? ("right" as const) : ("left" as const),
            beginAtZero: true,
            grace: "5%",
            title: {
              display: true,
              text: INDEX_AXIS_TITLE,
              font: font(AXIS_TITLE_SIZE, "bold"),
              color: TEXT_COLOUR,
            },
            ticks: { font: font(TICK_SIZE), color: TEXT_COLOUR },
            grid: northStar ? { drawOnChartArea: false } : { color: GRID_COLOUR },
          },
        }
      : {}),
  };
}

function valueScale(northStar: MetricFigure, currency: string): ScaleOptions<"linear"> {
  return {
    type: "linear",
    position: "left",
    beginAtZero: true,
    grace: "5%",
    title: {
      display: true,
      text: northStar.label,
      font: font(AXIS_TITLE_SIZE, "bold"),
      color: PALETTE.blue,
    },
    ticks: {
      font: font(TICK_SIZE),
      color: TEXT_COLOUR,
      callback: (value) => formatFigure(Number(value), northStar.unit, currency),
    },
    grid: { color: GRID_COLOUR },
  };
}

// ---------------------------------------------------------------------------------------------
// Alt text

/** The trend chart in words, with its numbers; at most 2000 characters. */
export function trendAltText(input: TrendChartInput): string {
  const { northStar, kpis, currency } = input;
  const weeks = trendWeeks(input);
  if (weeks.length === 0) return "No North Star or KPI figures to chart.";
  const range = `${weeks[0]} to ${weeks[weeks.length - 1]}`;
  const sentences = [
    northStar
      ? northStarSentence(northStar, weeks, range, currency)
      : `No North Star metric set; KPIs per week, ${range}.`,
  ];
  if (kpis.length > 0) {
    const parts = kpis.map((kpi) => kpiAltText(kpi, weeks, currency));
    sentences.push(`KPIs indexed to their first week: ${parts.join(", ")}.`);
  }
  const noted = weeks.filter((w) => input.noteWeeks.includes(w));
  if (noted.length > 0) sentences.push(`Context notes in ${listText(noted)}.`);
  return limitAltText(sentences.join(" "));
}

function northStarSentence(
  northStar: MetricFigure,
  weeks: readonly string[],
  range: string,
  currency: string,
): string {
  const show = (v: number | null) => formatFigure(v, northStar.unit, currency);
  const latest =
    northStar.weeklyTarget === null
      ? `latest ${show(northStar.value)}, no weekly target set`
      : `latest ${show(northStar.value)} against a target of ${show(northStar.weeklyTarget)}`;
  const values = seriesText(valuesByWeek(northStar, weeks), show);
  return `${northStar.label} per week, ${range}: ${values}; ${latest}.`;
}

/** "Leads 100 → 135 (40 → 54)": the index's last value, with the actual first and last. */
function kpiAltText(kpi: MetricFigure, weeks: readonly string[], currency: string): string {
  const values = valuesByWeek(kpi, weeks);
  const indexed = indexSeries(values);
  if (indexed === null) return `${kpi.label} not charted (no figure above zero)`;
  const known = (xs: readonly (number | null)[]) => xs.filter((v): v is number => v !== null);
  const show = (v: number | undefined) => formatFigure(v ?? null, kpi.unit, currency);
  const firstIndex = indexed.findIndex((v) => v !== null && v > 0);
  const actual = known(values.slice(firstIndex));
  const lastIndex = known(indexed).at(-1) ?? 100;
  return `${kpi.label} 100 → ${Math.round(lastIndex)} (${show(actual[0])} → ${show(actual.at(-1))})`;
}
