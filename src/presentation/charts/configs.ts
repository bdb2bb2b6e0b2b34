import type {
  Chart,
  ChartConfiguration,
  ChartDataset,
  FontSpec,
  LegendItem,
  Plugin,
} from "chart.js";
import type { CampaignFigures, MetricFigure } from "../../domain/digest.ts";
import { formatCount, formatMoney, formatPercent } from "../../domain/figures.ts";
import type { MetricUnit } from "../../domain/metrics.ts";
import { VERDICT_LABELS as DOMAIN_VERDICT_LABELS } from "../../domain/verdict.ts";

// The digest's charts as pure chart.js configurations: data in, configuration out, no canvas.
// `render.ts` turns them into PNGs; the alt texts state the same numbers for screen readers and
// for people reading Slack without images.

/** Okabe–Ito: distinguishable with every common colour-vision deficiency. */
export const PALETTE = {
  blue: "#0072B2",
  orange: "#E69F00",
  green: "#009E73",
  vermillion: "#D55E00",
  purple: "#CC79A7",
  sky: "#56B4E9",
  yellow: "#F0E442",
  black: "#000000",
} as const;

/** The same meaning keeps the same colour on every chart. */
export const VERDICT_COLOURS = {
  fit: PALETTE.green,
  notYet: PALETTE.orange,
  notFit: PALETTE.vermillion,
} as const;

/** KPI lines, in order. Yellow is left out: too faint on white for a thin line. */
export const KPI_COLOURS: readonly string[] = [
  PALETTE.orange,
  PALETTE.green,
  PALETTE.purple,
  PALETTE.sky,
  PALETTE.vermillion,
];

/** Registered by `render.ts` from the DejaVu Sans files, so every machine draws the same text. */
export const FONT_FAMILY = "Leadfit Sans";

/** Slack's limit for an image's alt text. */
export const MAX_ALT_TEXT = 2000;

/** Campaigns shown by name on the verdict chart; the rest are summed into one bar. */
export const MAX_CHART_CAMPAIGNS = 12;
export const OTHER_CAMPAIGNS = "Other campaigns";

export const NOTE_LABEL = "Week with a context note";
export const INDEX_AXIS_TITLE = "index, first week = 100";

// Sizes for an 800 px wide image that Slack shows at about 360 px.
const TITLE_SIZE = 20;
const SUBTITLE_SIZE = 15;
const LEGEND_SIZE = 15;
const TICK_SIZE = 14;
const AXIS_TITLE_SIZE = 14;
const TEXT_COLOUR = "#222222";
const GRID_COLOUR = "#E3E3E3";
const NO_VALUE = "—";

function font(size: number, weight: FontSpec["weight"] = "normal"): Partial<FontSpec> {
  return { family: FONT_FAMILY, size, weight };
}

// ---------------------------------------------------------------------------------------------
// Number formatting for axes and alt text (short forms: "$120k", "45", "42%")

const compactMoneyFormats = new Map<string, Intl.NumberFormat>();

function compactMoney(amount: number, currency: string): string {
  // Below 1000 the domain's format is already short ("$98", "$12.50"); it also rejects bad codes.
  if (Math.abs(amount) < 1000) return formatMoney(amount, currency);
  let format = compactMoneyFormats.get(currency);
  if (!format) {
    formatMoney(amount, currency); // throws the domain's AppError for an unknown currency
    format = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      notation: "compact",
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
    });
    compactMoneyFormats.set(currency, format);
  }
  return format.format(amount).replace("K", "k");
}

/** A metric's value in its own unit, short enough for an axis tick or a sentence. */
export function formatFigure(value: number | null, unit: MetricUnit, currency: string): string {
  if (value === null) return NO_VALUE;
  switch (unit) {
    case "currency":
      return compactMoney(value, currency);
    case "percent":
      return formatPercent(value);
    case "count":
    case "score":
      return formatCount(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Weeks

/** "2026-W47" → "W47"; the year is shown under the first week and where it changes. */
function weekTick(weeks: readonly string[], index: number): string | string[] {
  const week = weeks[index] ?? "";
  const [year, number] = week.split("-");
  if (number === undefined) return week;
  const previousYear = index > 0 ? weeks[index - 1]?.split("-")[0] : undefined;
  return year !== previousYear ? [number, year ?? ""] : number;
}

/** The weeks of all series, oldest first (ISO week strings sort as text). */
function chartWeeks(figures: readonly MetricFigure[]): string[] {
  const weeks = new Set<string>();
  for (const figure of figures) for (const point of figure.series) weeks.add(point.week);
  return [...weeks].sort();
}

function valuesByWeek(figure: MetricFigure, weeks: readonly string[]): (number | null)[] {
  const byWeek = new Map(figure.series.map((p) => [p.week, p.value]));
  return weeks.map((w) => byWeek.get(w) ?? null);
}

/**
 * A series as an index: its first known positive value is 100. Earlier known values (zeros) are
 * 0 and gaps stay gaps. Null when no value is positive (nothing to index against).
 */
export function indexSeries(values: readonly (number | null)[]): (number | null)[] | null {
  const base = values.find((v): v is number => v !== null && v > 0);
  if (base === undefined) return null;
  return values.map((v) => (v === null ? null : Math.round((v / base) * 1000) / 10));
}

// ---------------------------------------------------------------------------------------------
// Trend chart: the North Star in its own units, KPIs as an index

export interface TrendChartInput {
  northStar: MetricFigure | null;
  kpis: MetricFigure[];
  /** ISO weeks that have context notes. */
  noteWeeks: string[];
  currency: string;
}

function trendTitle(input: TrendChartInput): string {
  return input.northStar ? `${input.northStar.label} per week` : "KPIs per week";
}

function trendSubtitle(weeks: readonly string[], hasIndex: boolean): string {
  const range = weeks.length > 0 ? `${weeks[0]} to ${weeks[weeks.length - 1]}` : "no weeks";
  return hasIndex ? `${range} · KPIs indexed, first week = 100` : range;
}

export function trendChartConfig(input: TrendChartInput): ChartConfiguration {
  const { northStar, kpis, currency } = input;
  const weeks = chartWeeks(northStar ? [northStar, ...kpis] : kpis);
  const datasets: ChartDataset<"line", (number | null)[]>[] = [];
  const notes = new Set(input.noteWeeks);
  // The line the note markers sit on: the North Star, else the first charted KPI.
  let main: ChartDataset<"line", (number | null)[]> | undefined;

  if (northStar) {
    main = {
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
    datasets.push(main);
    if (northStar.weeklyTarget !== null) {
      datasets.push({
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
      });
    }
  }

  kpis.forEach((kpi, i) => {
    const indexed = indexSeries(valuesByWeek(kpi, weeks));
    if (indexed === null) return;
    const colour = KPI_COLOURS[i % KPI_COLOURS.length] ?? PALETTE.orange;
    const dataset: ChartDataset<"line", (number | null)[]> = {
      label: kpi.label,
      data: indexed,
      yAxisID: "index",
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      pointRadius: 2.5,
      spanGaps: false,
      order: 2,
    };
    datasets.push(dataset);
    main ??= dataset;
  });

  // Weeks with notes get a large diamond on the main line.
  if (main && weeks.some((w) => notes.has(w))) {
    const mainData = main.data;
    datasets.push({
      label: NOTE_LABEL,
      data: weeks.map((w, i) => (notes.has(w) ? (mainData[i] ?? null) : null)),
      yAxisID: main.yAxisID,
      showLine: false,
      pointStyle: "rectRot",
      pointRadius: 9,
      pointBorderWidth: 2,
      borderColor: PALETTE.black,
      backgroundColor: PALETTE.yellow,
      order: 0,
    });
  }

  const hasIndex = datasets.some((d) => d.yAxisID === "index");
  const unit = northStar?.unit ?? "count";
  return {
    type: "line",
    data: { labels: weeks, datasets },
    options: {
      responsive: false,
      animation: false,
      font: { family: FONT_FAMILY },
      color: TEXT_COLOUR,
      layout: { padding: { top: 4, right: 12, bottom: 4, left: 8 } },
      plugins: {
        title: {
          display: true,
          text: trendTitle(input),
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
              return `${dataset.label}: ${formatFigure(item.parsed.y, unit, currency)}`;
            },
          },
        },
      },
      scales: {
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
        ...(northStar
          ? {
              value: {
                type: "linear" as const,
                position: "left" as const,
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
              },
            }
          : {}),
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
      },
    },
  };
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

/** "$120k, $98k, no data, …" — every week's figure, in order. */
function seriesText(values: readonly (number | null)[], show: (v: number) => string): string {
  return values.map((v) => (v === null ? "no data" : show(v))).join(", ");
}

function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The trend chart in words, with its numbers; at most 2000 characters. */
export function trendAltText(input: TrendChartInput): string {
  const { northStar, kpis, currency } = input;
  const weeks = chartWeeks(northStar ? [northStar, ...kpis] : kpis);
  if (weeks.length === 0) return "No North Star or KPI figures to chart.";
  const range = `${weeks[0]} to ${weeks[weeks.length - 1]}`;
  const sentences: string[] = [];
  if (northStar) {
    const show = (v: number | null) => formatFigure(v, northStar.unit, currency);
    const latest =
      northStar.weeklyTarget === null
        ? `latest ${show(northStar.value)}, no weekly target set`
        : `latest ${show(northStar.value)} against a target of ${show(northStar.weeklyTarget)}`;
    const values = seriesText(valuesByWeek(northStar, weeks), show);
    sentences.push(`${northStar.label} per week, ${range}: ${values}; ${latest}.`);
  } else {
    sentences.push(`No North Star metric set; KPIs per week, ${range}.`);
  }
  if (kpis.length > 0) {
    const parts = kpis.map((kpi) => {
      const values = valuesByWeek(kpi, weeks);
      const indexed = indexSeries(values);
      if (indexed === null) return `${kpi.label} not charted (no figure above zero)`;
      const known = (xs: readonly (number | null)[]) => xs.filter((v): v is number => v !== null);
      const show = (v: number | undefined) => formatFigure(v ?? null, kpi.unit, currency);
      const firstIndex = indexed.findIndex((v) => v !== null && v > 0);
      const actual = known(values.slice(firstIndex));
      const lastIndex = known(indexed).at(-1) ?? 100;
      return `${kpi.label} 100 → ${Math.round(lastIndex)} (${show(actual[0])} → ${show(actual.at(-1))})`;
    });
    sentences.push(`KPIs indexed to their first week: ${parts.join(", ")}.`);
  }
  const noted = weeks.filter((w) => input.noteWeeks.includes(w));
  if (noted.length > 0) sentences.push(`Context notes in ${listText(noted)}.`);
  return limitAltText(sentences.join(" "));
}

/** Cut to Slack's limit with "…", never inside a surrogate pair. */
export function limitAltText(text: string, max = MAX_ALT_TEXT): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------
// Verdict chart: good fit / not yet / not a fit per campaign

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

/**
 * Draws each segment's count inside it when it fits (black: readable on all three colours) and
 * each bar's total after its end, so small segments are still counted.
 */
const segmentCounts: Plugin = {
  id: "leadfitSegmentCounts",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const ends = new Map<number, { x: number; y: number; total: number }>();
    ctx.save();
    ctx.font = `bold ${TICK_SIZE}px "${FONT_FAMILY}"`;
    ctx.fillStyle = PALETTE.black;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    chart.data.datasets.forEach((dataset, datasetIndex) => {
      const meta = chart.getDatasetMeta(datasetIndex);
      if (meta.hidden) return;
      meta.data.forEach((bar, i) => {
        const value = dataset.data[i];
        if (typeof value !== "number" || value === 0) return;
        const { x, y, base } = bar.getProps(["x", "y", "base"], true) as {
          x: number;
          y: number;
          base: number;
        };
        const end = ends.get(i);
        ends.set(i, { x: Math.max(x, end?.x ?? x), y, total: (end?.total ?? 0) + value });
        const text = String(value);
        if (ctx.measureText(text).width + 8 > Math.abs(x - base)) return;
        ctx.fillText(text, (x + base) / 2, y);
      });
    });
    ctx.font = `${TICK_SIZE}px "${FONT_FAMILY}"`;
    ctx.fillStyle = TEXT_COLOUR;
    ctx.textAlign = "left";
    for (const { x, y, total } of ends.values()) ctx.fillText(`= ${total}`, x + 6, y);
    ctx.restore();
  },
};

export const VERDICT_LABELS = {
  fit: DOMAIN_VERDICT_LABELS.fit,
  notYet: DOMAIN_VERDICT_LABELS.not_yet,
  notFit: DOMAIN_VERDICT_LABELS.not_fit,
} as const;

export function verdictChartConfig(input: VerdictChartInput): ChartConfiguration {
  const rows = verdictRows(input.campaigns);
  const labels = rows.map((r) =>
    r.campaigns > 1 ? `${OTHER_CAMPAIGNS} (${r.campaigns})` : shortLabel(r.label),
  );
  const bar = (key: keyof typeof VERDICT_LABELS): ChartDataset<"bar", number[]> => ({
    label: VERDICT_LABELS[key],
    data: rows.map((r) => r[key]),
    backgroundColor: VERDICT_COLOURS[key],
    borderColor: "#FFFFFF",
    borderWidth: { right: 1 },
    stack: "verdicts",
    categoryPercentage: 0.8,
    barPercentage: 0.9,
    maxBarThickness: 44,
  });
  return {
    type: "bar",
    data: { labels, datasets: [bar("fit"), bar("notYet"), bar("notFit")] },
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
