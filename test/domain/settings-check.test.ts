import { describe, expect, it } from "vitest";
import { DEFAULT_METRICS } from "../../src/domain/metrics.ts";
import { checkSettings, type SettingsInput } from "../../src/domain/settings-check.ts";
import { MAX_ADMINS } from "../../src/domain/workspace.ts";

const form: SettingsInput = {
  timezone: " Europe/Berlin ",
  currency: "eur",
  salesChannelId: "C0SALES001",
  marketingChannelId: null,
  salesTeam: ["U0SALES001"],
  marketingTeam: ["U0MKT00001"],
  admins: ["U0ADMIN002", "U0ADMIN002", "U0ADMIN003"],
  northStarKey: "pipeline",
  northStarTarget: 250_000,
  kpiKeys: ["leads", "sqls", "impressions"],
  kpiTargets: "leads = 30\n\n  sqls=-2.5  \n",
  reviewSlaHours: 24,
  needsContextThresholdPct: 30,
  conversionWindowDays: 120,
  hindsightPerRep: true,
};

const check = (overrides: Partial<SettingsInput>) =>
  checkSettings({ ...form, ...overrides }, DEFAULT_METRICS);

describe("settings as an admin submits them", () => {
  it("are saved trimmed, in upper-case currency, with each admin once and each KPI's target", () => {
    expect(checkSettings(form, DEFAULT_METRICS)).toEqual({
      ok: true,
      settings: {
        timezone: "Europe/Berlin",
        currency: "EUR",
        salesChannelId: "C0SALES001",
        marketingChannelId: null,
        salesTeam: ["U0SALES001"],
        marketingTeam: ["U0MKT00001"],
        admins: ["U0ADMIN002", "U0ADMIN003"],
        reviewSlaHours: 24,
        needsContextThresholdPct: 30,
        conversionWindowDays: 120,
        hindsightPerRep: true,
        northStar: { metricKey: "pipeline", weeklyTarget: 250_000 },
        kpis: [
          { metricKey: "leads", weeklyTarget: 30 },
          { metricKey: "sqls", weeklyTarget: -2.5 },
          { metricKey: "impressions", weeklyTarget: null },
        ],
      },
    });
  });

  it("may leave out the North Star and every target", () => {
    const checked = check({ northStarKey: null, kpiTargets: "" });
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    expect(checked.settings.northStar).toBeNull();
    expect(checked.settings.kpis.map((k) => k.weeklyTarget)).toEqual([null, null, null]);
  });

  it("are refused with every problem named by its field, so the modal shows each inline", () => {
    expect(
      check({
        timezone: "Mars/Olympus",
        currency: "dollars",
        admins: Array.from({ length: MAX_ADMINS + 1 }, (_, i) => `U${i}`),
        northStarKey: "happiness",
        kpiKeys: ["impressions", "clicks"],
        kpiTargets: "impressions: 5",
      }),
    ).toEqual({
      ok: false,
      problems: {
        timezone: '"Mars/Olympus" is not a timezone. Use an IANA name such as Europe/Berlin.',
        currency: '"dollars" is not a currency code. Use three letters, e.g. USD or EUR.',
        admins: `At most ${MAX_ADMINS} extra admins (${MAX_ADMINS + 1} picked). Slack's workspace owners and admins need no entry here.`,
        northStar: "Pick a North Star from the list.",
        kpis: expect.stringContaining("need an outcome beside them"),
        kpiTargets: 'Line 1: write "metric_key = number", e.g. "sqls = 10".',
      },
    });
  });

  it("take exactly the most extra admins there is room for", () => {
    const admins = Array.from({ length: MAX_ADMINS }, (_, i) => `U${i}`);
    expect(check({ admins }).ok).toBe(true);
  });

  it("refuse a KPI that left the catalogue, and a target for a metric that is not a picked KPI, by line", () => {
    expect(check({ kpiKeys: ["leads", "retired_metric"], kpiTargets: "" })).toEqual({
      ok: false,
      problems: { kpis: "A picked KPI is no longer in the catalogue; pick again." },
    });
    expect(check({ kpiTargets: "leads = 30\n\nrevenue = 5" })).toEqual({
      ok: false,
      problems: { kpiTargets: "Line 3: revenue is not one of the KPIs picked above." },
    });
  });

  it("refuse more KPIs than fit in a digest", () => {
    const checked = check({
      kpiKeys: ["leads", "mqls", "sqls", "opportunities", "pipeline", "revenue"],
      kpiTargets: "",
    });
    expect(checked.ok ? undefined : checked.problems.kpis).toMatch(/^Pick at most 5 KPIs/);
  });
});
