import { describe, expect, it } from "vitest";
import { transaction } from "../../src/db/repositories/index.ts";
import type { MetricValueInput } from "../../src/domain/ingest-schemas.ts";
import { storeMetrics, unknownMetricIssues } from "../../src/services/ingest-metrics.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

describe("storing metric values", () => {
  const { db, repos } = suiteDatabase();

  const value = (overrides: Partial<MetricValueInput>): MetricValueInput => ({
    metric: "spend",
    campaign: null,
    period: { granularity: "day", periodStart: "2026-03-10" },
    value: 100,
    source: "api",
    ...overrides,
  });

  it("names each row whose metric the workspace does not define, by its own row number", async () => {
    const workspace = await newWorkspace(db.prisma);
    const values = [value({}), value({ metric: "karma" }), value({ metric: "vibes" })];
    expect(await unknownMetricIssues({ repos }, { workspaceId: workspace.id, values })).toEqual([
      {
        index: 1,
        field: "metric",
        message:
          'Unknown metric "karma": define it first (POST /api/v1/metric-definitions or leadfit metric define)',
      },
      expect.objectContaining({ index: 2, field: "metric" }),
    ]);
    // A file's rows are numbered by line, not by position.
    const byLine = await unknownMetricIssues(
      { repos },
      { workspaceId: workspace.id, values, indexOf: (i) => i + 2 },
    );
    expect(byLine.map((issue) => issue.index)).toEqual([3, 4]);
  });

  it("creates unknown campaigns, keeps company-wide values apart, and changes nothing when sent again", async () => {
    const workspace = await newWorkspace(db.prisma);
    const values = [
      value({ campaign: "spring", value: 40 }),
      value({ campaign: null, value: 900 }),
      value({ metric: "clicks", campaign: "spring", value: 7 }),
    ];
    const store = () =>
      transaction(db, (repos) => storeMetrics({ repos }, { workspaceId: workspace.id, values }));
    expect(await store()).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect((await repos.campaigns.list(workspace.id)).map((c) => [c.key, c.name])).toEqual([
      ["spring", "spring"],
    ]);
    expect(await store()).toEqual({ created: 0, updated: 0, unchanged: 3 });
    const stored = await db.prisma.metricValue.findMany({
      where: { workspaceId: workspace.id, metric: { key: "spend" } },
      orderBy: { value: "asc" },
    });
    expect(stored.map((v) => [v.campaignKey, Number(v.value)])).toEqual([
      ["spring", 40],
      ["", 900],
    ]);
  });
});
