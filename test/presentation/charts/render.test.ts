import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isAppError } from "../../../src/domain/app-error.ts";
import {
  findFontFiles,
  renderChart,
  renderDigestCharts,
  verdictChartSize,
} from "../../../src/presentation/charts/render.ts";
import { trendChartConfig } from "../../../src/presentation/charts/trend-chart.ts";
import { verdictChartConfig } from "../../../src/presentation/charts/verdict-chart.ts";
import { hindsightGroup, hindsightReport } from "../slack/hindsight-fixtures.ts";
import { campaign, campaigns, digest, leads, mqls, pipeline } from "./fixtures.ts";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, after checking the PNG signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function trend() {
  return trendChartConfig({
    northStar: pipeline(),
    kpis: [leads(), mqls()],
    noteWeeks: ["2026-W40"],
    currency: "USD",
  });
}

describe("renderChart", () => {
  it("renders a PNG of 800 × 400 by default", async () => {
    expect(pngSize(await renderChart(trend()))).toEqual({ width: 800, height: 400 });
  });

  it("renders a PNG of the size asked for", async () => {
    const png = await renderChart(verdictChartConfig({ campaigns: campaigns() }), {
      width: 640,
      height: 520,
    });
    expect(pngSize(png)).toEqual({ width: 640, height: 520 });
  });

  it("is deterministic: the same chart gives the same bytes", async () => {
    const config = trend();
    const first = await renderChart(config);
    const again = await renderChart(config);
    const fresh = await renderChart(trend());
    expect(again.equals(first)).toBe(true);
    expect(fresh.equals(first)).toBe(true);
  });
});

describe("findFontFiles", () => {
  it("finds DejaVu Sans in the first folder that has it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "leadfit-fonts-"));
    try {
      await writeFile(join(dir, "DejaVuSans.ttf"), "");
      expect(findFontFiles([join(dir, "missing"), dir])).toEqual({
        regular: join(dir, "DejaVuSans.ttf"),
        bold: null,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("asks for fonts-dejavu-core when no folder has it", () => {
    let error: unknown;
    try {
      findFontFiles(["/nonexistent/leadfit-fonts"]);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error)).toBe(true);
    if (!isAppError(error)) return;
    expect(error.code).toBe("chart_font_missing");
    expect(error.userMessage).toContain("fonts-dejavu-core");
  });
});

describe("renderDigestCharts", () => {
  it("renders the trend and the verdict charts with their alt texts", async () => {
    const charts = await renderDigestCharts(digest(), ["2026-W40", "2026-W47"]);
    expect(charts.map((c) => c.name)).toEqual(["trend.png", "verdicts.png"]);
    const [trendChart, verdicts] = charts;
    expect(trendChart?.title).toBe("Pipeline and KPIs, 12 weeks to 2026-W47");
    expect(trendChart?.altText).toContain("latest $250k against a target of $240k");
    expect(pngSize(trendChart?.png ?? Buffer.alloc(0))).toEqual({ width: 800, height: 400 });
    expect(verdicts?.title).toBe("Verdicts per campaign, 2026-W47");
    expect(verdicts?.altText).toContain("Q4 webinar 4 good fit, 1 not yet, 3 not a fit");
    expect(pngSize(verdicts?.png ?? Buffer.alloc(0))).toEqual(verdictChartSize(4));
  });

  it("makes the verdict chart taller for many campaigns", async () => {
    const many = Array.from({ length: 20 }, (_, i) => campaign({ key: `c${i}`, fit: i + 1 }));
    const charts = await renderDigestCharts(
      digest({ northStar: null, kpis: [], campaigns: many }),
      [],
    );
    expect(charts.map((c) => c.name)).toEqual(["verdicts.png"]);
    const size = pngSize(charts[0]?.png ?? Buffer.alloc(0));
    expect(size).toEqual(verdictChartSize(13));
    expect(size.height).toBeGreaterThan(400);
  });

  it("skips the trend without a North Star or KPI, and the verdicts without any verdict", async () => {
    const noVerdicts = [campaign({ key: "quiet", leads: 5 })];
    expect(
      (await renderDigestCharts(digest({ campaigns: noVerdicts }), [])).map((c) => c.name),
    ).toEqual(["trend.png"]);
    expect(
      (await renderDigestCharts(digest({ northStar: null, kpis: [] }), [])).map((c) => c.name),
    ).toEqual(["verdicts.png"]);
    expect(
      await renderDigestCharts(digest({ northStar: null, kpis: [], campaigns: noVerdicts }), []),
    ).toEqual([]);
  });

  it("adds fit rate vs later wins to the first digest of a month, its numbers in the alt text", async () => {
    const hindsight = hindsightReport(
      [
        hindsightGroup({ verdict: "fit", leads: 6, reachedOpportunity: 2, won: 1 }),
        hindsightGroup({ verdict: "not_fit", leads: 4, reachedOpportunity: 1, won: 1 }),
      ],
      { period: { since: "2026-03-01", until: "2026-05-31", today: "2026-12-07" } },
    );
    const charts = await renderDigestCharts(digest({ hindsight }), []);
    expect(charts.map((c) => c.name)).toEqual(["trend.png", "verdicts.png", "hindsight.png"]);
    const chart = charts[2];
    expect(chart?.title).toBe("Fit rate vs later wins, 2026-03-01 – 2026-05-31");
    expect(chart?.altText).toBe(
      "Hindsight per month cohort, 2026-03-01 to 2026-05-31: 2026-03-01 fit rate 60%, later won 20% of 10 leads.",
    );
    expect(pngSize(chart?.png ?? Buffer.alloc(0))).toEqual({ width: 800, height: 400 });
    const noLeads = await renderDigestCharts(
      digest({
        hindsight: hindsightReport([], {
          period: { since: "2026-03-01", until: "2026-05-31", today: "2026-12-07" },
        }),
      }),
      [],
    );
    expect(noLeads.map((c) => c.name)).toEqual(["trend.png", "verdicts.png"]);
  });

  it("draws the trend for KPIs alone", async () => {
    const charts = await renderDigestCharts(digest({ northStar: null, campaigns: [] }), []);
    expect(charts.map((c) => [c.name, c.title])).toEqual([
      ["trend.png", "KPIs, 12 weeks to 2026-W47"],
    ]);
  });
});
