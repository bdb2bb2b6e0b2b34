import { describe, expect, it } from "vitest";
import {
  checkKpiSet,
  DEFAULT_METRICS,
  formatVanityPairing,
  isOutcomeStage,
  isVanityStage,
  METRIC_STAGES,
  type MetricDefinition,
  metricDefinitionSchema,
  metricKeySchema,
  pairWithOutcome,
} from "../../src/domain/metrics.ts";

function byKey(key: string): MetricDefinition {
  const found = DEFAULT_METRICS.find((m) => m.key === key);
  if (!found) throw new Error(`no default metric ${key}`);
  return found;
}

describe("default catalogue", () => {
  it("has the 14 metrics of the design, all valid", () => {
    expect(DEFAULT_METRICS.map((m) => m.key)).toEqual([
      "impressions",
      "clicks",
      "sessions",
      "direct_traffic",
      "engagements",
      "video_views",
      "leads",
      "mqls",
      "sqls",
      "opportunities",
      "pipeline",
      "revenue",
      "spend",
      "nps",
    ]);
    for (const metric of DEFAULT_METRICS) {
      expect(metricDefinitionSchema.parse(metric)).toEqual(metric);
    }
  });

  it("defines spend, nps, pipeline and revenue as the design says", () => {
    expect(byKey("spend")).toMatchObject({
      unit: "currency",
      stage: "cost",
      direction: "lower",
      aggregation: "sum",
    });
    expect(byKey("nps")).toMatchObject({
      unit: "score",
      stage: "advocacy",
      goal: "keep",
      aggregation: "average",
    });
    expect(byKey("pipeline").unit).toBe("currency");
    expect(byKey("revenue").unit).toBe("currency");
    expect(byKey("impressions").stage).toBe("awareness");
  });
});

describe("schemas", () => {
  it("accepts lowercase snake_case keys up to 64 characters", () => {
    expect(metricKeySchema.safeParse("video_views").success).toBe(true);
    expect(metricKeySchema.safeParse("a".repeat(64)).success).toBe(true);
    for (const bad of ["", "a".repeat(65), "Video_views", "video-views", "_x", "x__y", "1x"]) {
      expect(metricKeySchema.safeParse(bad).success).toBe(false);
    }
  });

  it("makes owner optional and rejects unknown units", () => {
    const { owner: _owner, ...withoutOwner } = byKey("leads");
    expect(metricDefinitionSchema.parse(withoutOwner).owner).toBeNull();
    expect(metricDefinitionSchema.parse({ ...withoutOwner, owner: "U123" }).owner).toBe("U123");
    expect(metricDefinitionSchema.safeParse({ ...withoutOwner, unit: "euros" }).success).toBe(
      false,
    );
  });
});

describe("stages", () => {
  it("counts lead, pipeline, revenue and advocacy as outcomes, not cost", () => {
    expect(METRIC_STAGES.filter(isOutcomeStage)).toEqual([
      "lead",
      "pipeline",
      "revenue",
      "advocacy",
    ]);
    expect(METRIC_STAGES.filter(isVanityStage)).toEqual(["awareness", "engagement"]);
  });
});

describe("checkKpiSet", () => {
  const set = (...keys: string[]) => keys.map(byKey);

  it("refuses a set made only of awareness and engagement metrics", () => {
    const result = checkKpiSet(set("impressions", "clicks", "sessions"));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/outcome/);
  });

  it("does not count cost as an outcome", () => {
    expect(checkKpiSet(set("impressions", "spend")).ok).toBe(false);
  });

  it("accepts vanity metrics next to an outcome, advocacy included", () => {
    expect(checkKpiSet(set("impressions", "clicks", "leads"))).toEqual({ ok: true });
    expect(checkKpiSet(set("engagements", "nps"))).toEqual({ ok: true });
    expect(checkKpiSet(set("spend", "revenue"))).toEqual({ ok: true });
    expect(checkKpiSet([])).toEqual({ ok: true });
  });

  it("refuses more than five KPIs and duplicates", () => {
    expect(checkKpiSet(set("leads", "mqls", "sqls", "opportunities", "pipeline")).ok).toBe(true);
    const six = checkKpiSet(set("leads", "mqls", "sqls", "opportunities", "pipeline", "revenue"));
    expect(six.ok).toBe(false);
    expect(!six.ok && six.message).toContain("at most 5");
    const twice = checkKpiSet(set("leads", "leads"));
    expect(twice.ok).toBe(false);
    expect(!twice.ok && twice.message).toContain("Leads");
  });
});

describe("pairWithOutcome", () => {
  it("pairs awareness and engagement metrics with leads first", () => {
    expect(pairWithOutcome(byKey("impressions"), DEFAULT_METRICS)?.key).toBe("leads");
    expect(pairWithOutcome(byKey("clicks"), DEFAULT_METRICS)?.key).toBe("leads");
  });

  it("falls back to mqls, then sqls, then any lead-stage metric", () => {
    const withoutLeads = DEFAULT_METRICS.filter((m) => m.key !== "leads");
    expect(pairWithOutcome(byKey("impressions"), withoutLeads)?.key).toBe("mqls");
    const onlySqls = withoutLeads.filter((m) => m.key !== "mqls");
    expect(pairWithOutcome(byKey("impressions"), onlySqls)?.key).toBe("sqls");
    const demos: MetricDefinition = { ...byKey("leads"), key: "demo_requests", label: "Demos" };
    expect(pairWithOutcome(byKey("impressions"), [byKey("revenue"), demos])?.key).toBe(
      "demo_requests",
    );
    expect(pairWithOutcome(byKey("impressions"), [byKey("revenue")])).toBeUndefined();
    // A preferred outcome wins over a lead-stage metric listed before it.
    expect(pairWithOutcome(byKey("impressions"), [demos, ...onlySqls])?.key).toBe("sqls");
  });

  it("does not pair outcome or cost metrics", () => {
    expect(pairWithOutcome(byKey("leads"), DEFAULT_METRICS)).toBeUndefined();
    expect(pairWithOutcome(byKey("spend"), DEFAULT_METRICS)).toBeUndefined();
  });
});

describe("formatVanityPairing", () => {
  it("reads as a chain from the vanity figure to the outcome", () => {
    expect(
      formatVanityPairing([
        { label: "impressions", value: "120k" },
        { label: "leads", value: "45" },
        { label: "fit", value: "12" },
      ]),
    ).toBe("impressions 120k → 45 leads → 12 fit");
    expect(formatVanityPairing([{ label: "clicks", value: "3.4k" }])).toBe("clicks 3.4k");
  });
});
