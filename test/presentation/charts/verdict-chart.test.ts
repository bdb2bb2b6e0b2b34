import type { ChartDataset } from "chart.js";
import { describe, expect, it } from "vitest";
import { MAX_ALT_TEXT } from "../../../src/presentation/charts/alt-text.ts";
import { PALETTE, VERDICT_COLOURS } from "../../../src/presentation/charts/style.ts";
import {
  OTHER_CAMPAIGNS,
  verdictAltText,
  verdictChartConfig,
  verdictRows,
} from "../../../src/presentation/charts/verdict-chart.ts";
import { campaign, campaigns, opts } from "./fixtures.ts";

type BarDataset = ChartDataset<"bar", number[]>;

describe("verdictChartConfig", () => {
  const config = verdictChartConfig({ campaigns: campaigns(), week: "2026-W47" });
  const datasets = config.data.datasets as BarDataset[];

  it("stacks good fit, not yet and not a fit per campaign as horizontal bars", () => {
    expect(config.type).toBe("bar");
    expect(config.options?.indexAxis).toBe("y");
    expect(config.data.labels).toEqual([
      "Q4 webinar",
      "LinkedIn CFO ads",
      "G2 reviews",
      "Trade show Berlin",
    ]);
    expect(datasets.map((d) => [d.label, d.data])).toEqual([
      ["Good fit", [4, 6, 3, 0]],
      ["Not yet", [1, 0, 2, 0]],
      ["Not a fit", [3, 7, 0, 2]],
    ]);
    const scales = opts(config).scales;
    expect(scales.x.stacked).toBe(true);
    expect(scales.y.stacked).toBe(true);
    expect(opts(config).plugins.title.text).toBe("Verdicts per campaign, 2026-W47");
  });

  it("colours verdicts green, orange and vermillion", () => {
    expect(datasets.map((d) => d.backgroundColor)).toEqual([
      PALETTE.green,
      PALETTE.orange,
      PALETTE.vermillion,
    ]);
    expect(VERDICT_COLOURS).toEqual({
      fit: PALETTE.green,
      not_yet: PALETTE.orange,
      not_fit: PALETTE.vermillion,
    });
  });

  it("does not animate, is not responsive, and uses readable sizes", () => {
    expect(config.options?.animation).toBe(false);
    expect(config.options?.responsive).toBe(false);
    expect(opts(config).plugins.title.font.size).toBeGreaterThanOrEqual(16);
    const scales = opts(config).scales;
    expect(scales.x.ticks.font.size).toBeGreaterThanOrEqual(12);
    expect(scales.y.ticks.font.size).toBeGreaterThanOrEqual(12);
  });

  it("leaves out campaigns without verdicts and shortens long names", () => {
    const config2 = verdictChartConfig({
      campaigns: [
        campaign({ key: "quiet", leads: 4 }),
        campaign({ key: "x", name: "An extremely long campaign name for the autumn push", fit: 1 }),
      ],
    });
    expect(config2.data.labels).toEqual(["An extremely long campaign …"]);
  });
});

describe("verdictRows", () => {
  function many(n: number) {
    // Campaign i has i + 1 verdicts of each kind: the last ones are the largest.
    return Array.from({ length: n }, (_, i) =>
      campaign({ key: `c${i}`, fit: i + 1, notYet: i + 1, notFit: i + 1 }),
    );
  }

  it("shows up to 12 campaigns by name", () => {
    const rows = verdictRows(many(12));
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r.label)).not.toContain(OTHER_CAMPAIGNS);
  });

  it("sums the campaigns with the fewest verdicts past 12 into Other campaigns, last", () => {
    const rows = verdictRows(many(15));
    expect(rows).toHaveLength(13);
    expect(rows.slice(0, 12).map((r) => r.label)).toEqual(
      Array.from({ length: 12 }, (_, i) => `c${i + 3}`),
    );
    expect(rows[12]).toEqual({
      label: OTHER_CAMPAIGNS,
      fit: 6,
      notYet: 6,
      notFit: 6,
      campaigns: 3,
    });
    const config = verdictChartConfig({ campaigns: many(15) });
    expect(config.data.labels?.at(-1)).toBe("Other campaigns (3)");
    expect((config.data.datasets[0] as BarDataset).data.at(-1)).toBe(6);
  });
});

describe("verdictAltText", () => {
  it("states each campaign's counts", () => {
    expect(verdictAltText({ campaigns: campaigns(), week: "2026-W47" })).toBe(
      "Verdicts per campaign for 2026-W47: Q4 webinar 4 good fit, 1 not yet, 3 not a fit; " +
        "LinkedIn CFO ads 6 good fit, 0 not yet, 7 not a fit; G2 reviews 3 good fit, 2 not yet, " +
        "0 not a fit; Trade show Berlin 0 good fit, 0 not yet, 2 not a fit.",
    );
    expect(verdictAltText({ campaigns: [], week: "2026-W47" })).toBe(
      "Verdicts per campaign for 2026-W47: no verdicts.",
    );
  });

  it("includes the folded campaigns and stays within 2000 characters", () => {
    const long = Array.from({ length: 40 }, (_, i) =>
      campaign({
        key: `c${i}`,
        name: `${"Campaign with a long name ".repeat(8)}${i}`,
        fit: 40 - i,
      }),
    );
    const text = verdictAltText({ campaigns: long });
    expect(text.length).toBeLessThanOrEqual(MAX_ALT_TEXT);
    expect(text.length).toBeGreaterThan(1900);
    expect(text.endsWith("…")).toBe(true);
    const short = Array.from({ length: 14 }, (_, i) =>
      campaign({ key: `c${i}`, fit: 14 - i, notFit: 1 }),
    );
    expect(verdictAltText({ campaigns: short })).toContain(
      "Other campaigns (2 campaigns) 3 good fit, 0 not yet, 2 not a fit.",
    );
  });
});
