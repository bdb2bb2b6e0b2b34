import type { FontSpec } from "chart.js";
import type { Verdict } from "../../domain/verdict.ts";

// The charts' look, shared by both: colours that keep their meaning, one font, sizes for an
// 800 px wide image that Slack shows at about 360 px.

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
export const VERDICT_COLOURS: Record<Verdict, string> = {
  fit: PALETTE.green,
  not_yet: PALETTE.orange,
  not_fit: PALETTE.vermillion,
};

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

export const TITLE_SIZE = 20;
export const SUBTITLE_SIZE = 15;
export const LEGEND_SIZE = 15;
export const TICK_SIZE = 14;
export const AXIS_TITLE_SIZE = 14;
export const TEXT_COLOUR = "#222222";
export const GRID_COLOUR = "#E3E3E3";

export function font(size: number, weight: FontSpec["weight"] = "normal"): Partial<FontSpec> {
  return { family: FONT_FAMILY, size, weight };
}
