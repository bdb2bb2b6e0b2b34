import type { ChartDataset, FontSpec } from "chart.js";
import { describe, expect, it } from "vitest";
import { MAX_ALT_TEXT } from "../../../src/presentation/charts/alt-text.ts";
import { FONT_FAMILY, KPI_COLOURS, PALETTE } from "../../../src/presentation/charts/style.ts";
import {
  INDEX_AXIS_TITLE,
  NOTE_LABEL,
  trendAltText,
  trendChartConfig,
} from "../../../src/presentation/charts/trend-chart.ts";
import {
  leads,
  metric,
  mqls,
  opts,
  PIPELINE_VALUES,
  pipeline,
  series,
  type Tree,
  WEEKS,
} from "./fixtures.ts";

type LineDataset = ChartDataset<"line", (number | null)[]>;

const paletteColours: string[] = Object.values(PALETTE);

function trendInput(overrides: Partial<Parameters<typeof trendChartConfig>[0]> = {}) {
  return {
    northStar: pipeline(),
    kpis: [leads(), mqls()],
    noteWeeks: ["2026-W40", "2026-W47"],
    currency: "USD",
    ...overrides,
  };
}

function lineDatasets(config: ReturnType<typeof trendChartConfig>): LineDataset[] {
  return config.data.datasets as LineDataset[];
}

function byLabel(datasets: LineDataset[], label: string): LineDataset {
  const dataset = datasets.find((d) => d.label === label);
  if (!dataset) throw new Error(`no dataset ${label}`);
  return dataset;
}

describe("trendChartConfig", () => {
  const config = trendChartConfig(trendInput());
  const datasets = lineDatasets(config);

  it("charts the twelve weeks with the North Star as the main line on its own axis", () => {
    expect(config.type).toBe("line");
    expect(config.data.labels).toEqual(WEEKS);
    const northStar = byLabel(datasets, "Pipeline");
    expect(northStar.data).toEqual(PIPELINE_VALUES);
    expect(northStar.yAxisID).toBe("value");
    expect(northStar.borderColor).toBe(PALETTE.blue);
    expect(northStar.borderWidth).toBeGreaterThan(byLabel(datasets, "Leads").borderWidth as number);
  });

  it("leaves missing weeks as gaps", () => {
    expect(byLabel(datasets, "Pipeline").data[2]).toBeNull();
    for (const dataset of datasets.filter((d) => d.label !== NOTE_LABEL)) {
      expect(dataset.spanGaps).toBe(false);
    }
  });

  it("draws the weekly target as a dashed line across the weeks", () => {
    const target = byLabel(datasets, "Weekly target ($240k)");
    expect(target.data).toEqual(WEEKS.map(() => 240_000));
    expect(target.borderDash?.length).toBeGreaterThan(0);
    expect(target.yAxisID).toBe("value");
    expect(target.pointRadius).toBe(0);
  });

  it("has no target line when no target is set", () => {
    const noTarget = lineDatasets(
      trendChartConfig(trendInput({ northStar: pipeline({ weeklyTarget: null }) })),
    );
    expect(noTarget.some((d) => d.borderDash !== undefined)).toBe(false);
  });

  it("indexes each KPI to 100 at its first known week, on the right-hand index axis", () => {
    const leadsLine = byLabel(datasets, "Leads");
    expect(leadsLine.yAxisID).toBe("index");
    expect(leadsLine.data[0]).toBe(100);
    expect(leadsLine.data[2]).toBe(112.5); // 45 / 40
    expect(leadsLine.data[7]).toBeNull(); // a gap stays a gap
    expect(leadsLine.data[11]).toBe(135); // 54 / 40
    const mqlLine = byLabel(datasets, "MQLs");
    expect(mqlLine.data[0]).toBeNull();
    expect(mqlLine.data[1]).toBe(100);
    expect(mqlLine.data[11]).toBe(80); // 16 / 20
    const scales = opts(config).scales;
    expect(scales.index.position).toBe("right");
    expect(scales.index.title.text).toBe(INDEX_AXIS_TITLE);
    expect(scales.index.grid.drawOnChartArea).toBe(false);
    expect(scales.value.position).toBe("left");
  });

  it("uses palette colours only, KPIs in distinct ones", () => {
    for (const d of datasets) {
      expect(paletteColours).toContain(d.borderColor);
      expect(paletteColours).toContain(d.backgroundColor);
    }
    const kpiColours = datasets.filter((d) => d.yAxisID === "index").map((d) => d.borderColor);
    expect(new Set(kpiColours).size).toBe(kpiColours.length);
    expect(kpiColours).not.toContain(PALETTE.blue);
    expect(KPI_COLOURS).not.toContain(PALETTE.yellow);
  });

  it("marks weeks with notes on the North Star line, labelled in the legend", () => {
    const notes = byLabel(datasets, NOTE_LABEL);
    expect(notes.yAxisID).toBe("value");
    expect(notes.showLine).toBe(false);
    expect(notes.pointStyle).toBe("rectRot");
    expect(notes.data).toEqual(
      WEEKS.map((w) => (w === "2026-W40" ? 155_000 : w === "2026-W47" ? 250_000 : null)),
    );
    const pointRadius = byLabel(datasets, "Pipeline").pointRadius as number;
    expect(notes.pointRadius as number).toBeGreaterThan(pointRadius);
  });

  it("has no note marker when no charted week has a note", () => {
    for (const noteWeeks of [[], ["2025-W01"]]) {
      const plain = lineDatasets(trendChartConfig(trendInput({ noteWeeks })));
      expect(plain.map((d) => d.label)).not.toContain(NOTE_LABEL);
    }
  });

  it("puts the index axis on the left and the notes on the first KPI without a North Star", () => {
    const kpiOnly = trendChartConfig(trendInput({ northStar: null }));
    const scales = opts(kpiOnly).scales;
    expect(scales.value).toBeUndefined();
    expect(scales.index.position).toBe("left");
    const notes = byLabel(lineDatasets(kpiOnly), NOTE_LABEL);
    expect(notes.yAxisID).toBe("index");
    expect(notes.data[4]).toBe(125); // Leads in W40: 50 / 40
  });

  it("leaves out a KPI with no figure above zero", () => {
    const empty = metric({ key: "sqls", label: "SQLs", series: series(WEEKS.map(() => 0)) });
    const labels = lineDatasets(trendChartConfig(trendInput({ kpis: [empty, leads()] }))).map(
      (d) => d.label,
    );
    expect(labels).not.toContain("SQLs");
    expect(labels).toContain("Leads");
  });

  it("does not animate, is not responsive, and uses the registered font at readable sizes", () => {
    expect(config.options?.animation).toBe(false);
    expect(config.options?.responsive).toBe(false);
    const plugins = opts(config).plugins;
    expect(plugins.title.font.size).toBeGreaterThanOrEqual(16);
    expect(plugins.title.font.family).toBe(FONT_FAMILY);
    expect(plugins.legend.labels.font.size).toBeGreaterThanOrEqual(12);
    for (const scale of Object.values(config.options?.scales ?? {}) as Tree[]) {
      expect((scale.ticks.font as FontSpec).size).toBeGreaterThanOrEqual(12);
      expect((scale.ticks.font as FontSpec).family).toBe(FONT_FAMILY);
    }
  });

  it("labels ticks with the week number and the year where it starts or changes", () => {
    const weeks = ["2025-W51", "2025-W52", "2026-W01", "2026-W02"];
    const crossing = trendChartConfig(
      trendInput({
        northStar: pipeline({ series: series([1, 2, 3, 4], weeks) }),
        kpis: [],
        noteWeeks: [],
      }),
    );
    const callback = opts(crossing).scales.x.ticks.callback as (
      value: number,
      index: number,
    ) => unknown;
    expect(weeks.map((_, i) => callback(i, i))).toEqual([
      ["W51", "2025"],
      "W52",
      ["W01", "2026"],
      "W02",
    ]);
  });

  it("formats the North Star axis in its unit", () => {
    const callback = opts(config).scales.value.ticks.callback as (value: number) => string;
    expect(callback(150_000)).toBe("$150k");
    expect(callback(0)).toBe("$0");
  });
});

describe("trendAltText", () => {
  const text = trendAltText(trendInput());

  it("states every week's North Star figure, the latest against the target, and the KPIs", () => {
    expect(text).toContain(
      "Pipeline per week, 2026-W36 to 2026-W47: $120k, $98k, no data, $140k, $155k, $150k, " +
        "$170k, $190k, $185k, $210k, $230k, $250k; latest $250k against a target of $240k.",
    );
    expect(text).toContain(
      "KPIs indexed to their first week: Leads 100 → 135 (40 → 54), MQLs 100 → 80 (20 → 16).",
    );
    expect(text).toContain("Context notes in 2026-W40 and 2026-W47.");
  });

  it("says so when there is no target or no North Star", () => {
    expect(trendAltText(trendInput({ northStar: pipeline({ weeklyTarget: null }) }))).toContain(
      "latest $250k, no weekly target set.",
    );
    expect(trendAltText(trendInput({ northStar: null }))).toMatch(/^No North Star metric set/);
    expect(trendAltText(trendInput({ northStar: null, kpis: [] }))).toBe(
      "No North Star or KPI figures to chart.",
    );
  });

  it("stays within Slack's 2000 characters", () => {
    const long = "A very long KPI label that goes on and on ".repeat(20);
    const kpis = Array.from({ length: 5 }, (_, i) =>
      metric({ key: `k${i}`, label: `${long}${i}`, series: series(WEEKS.map((_, j) => j + 1)) }),
    );
    const limited = trendAltText(trendInput({ kpis }));
    expect(limited.length).toBeLessThanOrEqual(MAX_ALT_TEXT);
    expect(limited.endsWith("…")).toBe(true);
    expect(limited).toContain("$120k");
  });
});
