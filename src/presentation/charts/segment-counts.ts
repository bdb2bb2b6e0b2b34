import type { Plugin } from "chart.js";
import { FONT_FAMILY, PALETTE, TEXT_COLOUR, TICK_SIZE } from "./style.ts";

/**
 * Draws each segment's count inside it when it fits (black: readable on all three colours) and
 * each bar's total after its end, so small segments are still counted.
 */
export const segmentCounts: Plugin = {
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
