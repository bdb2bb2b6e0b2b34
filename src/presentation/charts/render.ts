import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ChartConfiguration } from "chart.js";
import { ChartJSNodeCanvas } from "chartjs-node-canvas";
import { AppError } from "../../domain/app-error.ts";
import type { Digest } from "../../domain/digest.ts";
import { hindsightChart } from "./hindsight-chart.ts";
import { FONT_FAMILY } from "./style.ts";
import { trendAltText, trendChartConfig } from "./trend-chart.ts";
import { verdictAltText, verdictChartConfig, verdictRows } from "./verdict-chart.ts";

// The only module that touches canvas. The font is registered from a file, never taken from the
// system's defaults: a bare machine has none, and another machine's default differs.

/** Where DejaVu Sans lives on common systems (Debian/Ubuntu, Fedora, Alpine, macOS Homebrew). */
export const FONT_DIRS: readonly string[] = [
  "/usr/share/fonts/truetype/dejavu",
  "/usr/share/fonts/dejavu-sans-fonts",
  "/usr/share/fonts/dejavu",
  "/opt/homebrew/share/fonts",
];

export interface FontFiles {
  regular: string;
  /** Without it, bold text is drawn by slanting the strokes of the regular face. */
  bold: string | null;
}

/** The DejaVu Sans files in the first folder that has them; an AppError when none has. */
export function findFontFiles(dirs: readonly string[] = FONT_DIRS): FontFiles {
  for (const dir of dirs) {
    const regular = join(dir, "DejaVuSans.ttf");
    if (!existsSync(regular)) continue;
    const bold = join(dir, "DejaVuSans-Bold.ttf");
    return { regular, bold: existsSync(bold) ? bold : null };
  }
  throw new AppError(
    "chart_font_missing",
    `DejaVu Sans not found in ${dirs.join(", ")}`,
    "Charts need the DejaVu Sans font so they look the same on every machine. Install it " +
      "(Debian/Ubuntu: `apt-get install fonts-dejavu-core`; Fedora: `dnf install " +
      "dejavu-sans-fonts`; Alpine: `apk add font-dejavu`) and try again.",
  );
}

export interface ChartSize {
  width: number;
  height: number;
}

export const DEFAULT_SIZE: ChartSize = { width: 800, height: 400 };

let fontsRegistered = false;
const renderers = new Map<string, ChartJSNodeCanvas>();

function rendererFor(size: ChartSize): ChartJSNodeCanvas {
  const key = `${size.width}x${size.height}`;
  let renderer = renderers.get(key);
  if (renderer) return renderer;
  // Found before the first canvas exists: registering after it would not take effect.
  const fonts = fontsRegistered ? null : findFontFiles();
  renderer = new ChartJSNodeCanvas({
    width: size.width,
    height: size.height,
    backgroundColour: "white",
    chartCallback: (chartJs) => {
      chartJs.defaults.font.family = FONT_FAMILY;
      chartJs.defaults.color = "#222222";
    },
  });
  if (fonts) {
    // canvas keeps registered fonts process-wide, so once is enough for every renderer.
    renderer.registerFont(fonts.regular, { family: FONT_FAMILY });
    if (fonts.bold) renderer.registerFont(fonts.bold, { family: FONT_FAMILY, weight: "bold" });
    fontsRegistered = true;
  }
  renderers.set(key, renderer);
  return renderer;
}

/** A PNG of the chart, drawn with the registered font on a white background. */
export async function renderChart(
  config: ChartConfiguration,
  size: ChartSize = DEFAULT_SIZE,
): Promise<Buffer> {
  return rendererFor(size).renderToBuffer(config, "image/png");
}

export interface RenderedChart {
  /** File name for the upload, e.g. "trend.png". */
  name: string;
  title: string;
  png: Buffer;
  altText: string;
}

/** Tall enough for every campaign row to keep a readable label: 400 px up to 8 rows. */
export function verdictChartSize(rows: number): ChartSize {
  return { width: DEFAULT_SIZE.width, height: Math.max(DEFAULT_SIZE.height, 130 + rows * 34) };
}

function trendSubject(digest: Digest): string {
  if (!digest.northStar) return "KPIs";
  return digest.kpis.length > 0 ? `${digest.northStar.label} and KPIs` : digest.northStar.label;
}

/**
 * The digest's charts: the trend (when there is a North Star or a KPI), the verdicts per campaign
 * (when some campaign has verdicts) and, in the digest that opens a month, fit rate vs later wins
 * (when its months have leads). An empty chart is left out, not drawn. They are rendered at once:
 * one is encoded to PNG (off the event loop) while the next is drawn.
 */
export async function renderDigestCharts(
  digest: Digest,
  noteWeeks: string[],
): Promise<RenderedChart[]> {
  const charts: Promise<RenderedChart>[] = [];
  if (digest.northStar !== null || digest.kpis.length > 0) {
    const input = {
      northStar: digest.northStar,
      kpis: digest.kpis,
      noteWeeks,
      currency: digest.currency,
    };
    charts.push(
      renderChart(trendChartConfig(input)).then((png) => ({
        name: "trend.png",
        title: `${trendSubject(digest)}, 12 weeks to ${digest.week}`,
        png,
        altText: trendAltText(input),
      })),
    );
  }
  const rows = verdictRows(digest.campaigns);
  if (rows.length > 0) {
    const input = { campaigns: digest.campaigns, week: digest.week };
    charts.push(
      renderChart(verdictChartConfig(input), verdictChartSize(rows.length)).then((png) => ({
        name: "verdicts.png",
        title: `Verdicts per campaign, ${digest.week}`,
        png,
        altText: verdictAltText(input),
      })),
    );
  }
  const hindsight = digest.hindsight === null ? null : hindsightChart(digest.hindsight);
  if (digest.hindsight !== null && hindsight !== null) {
    const title = `Fit rate vs later wins, ${digest.hindsight.since} – ${digest.hindsight.until}`;
    charts.push(
      renderChart(hindsight.config).then((png) => ({
        name: "hindsight.png",
        title,
        png,
        altText: hindsight.altText,
      })),
    );
  }
  return Promise.all(charts);
}
