import { beforeAll, describe, expect, it } from "vitest";
import { MetricRepository } from "../../src/db/repositories/metric-repository.ts";
import type { MetricDefinition } from "../../src/domain/metrics.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { defineMetrics, listMetrics, retireMetric } from "../../src/services/metric-catalogue.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

const SIGNUPS: MetricDefinition = {
  key: "webinar_signups",
  label: "Webinar sign-ups",
  unit: "count",
  stage: "engagement",
  goal: "find",
  direction: "higher",
  aggregation: "sum",
  owner: null,
};

describe("the metric catalogue", () => {
  const { db } = suiteDatabase();
  let metrics: MetricRepository;
  let workspace: Workspace;

  beforeAll(async () => {
    metrics = new MetricRepository(db.prisma);
    workspace = await newWorkspace(db.prisma);
  });

  it("defines, changes and retires a metric; a retired one is defined again by key", async () => {
    const workspaceId = workspace.id;
    expect(await defineMetrics({ db }, { workspaceId, definitions: [SIGNUPS] })).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
    });
    const renamed = { ...SIGNUPS, label: "Sign-ups" };
    expect(await defineMetrics({ db }, { workspaceId, definitions: [renamed, renamed] })).toEqual({
      created: 0,
      updated: 1,
      unchanged: 1,
    });
    expect(await listMetrics({ repos: { metrics } }, { workspaceId })).toContainEqual(renamed);

    await retireMetric({ repos: { metrics } }, { workspaceId, key: SIGNUPS.key, at: new Date() });
    expect(
      (await listMetrics({ repos: { metrics } }, { workspaceId })).map((m) => m.key),
    ).not.toContain(SIGNUPS.key);
    await expect(
      retireMetric({ repos: { metrics } }, { workspaceId, key: SIGNUPS.key, at: new Date() }),
    ).rejects.toMatchObject({
      code: "not_found",
      userMessage: "No active metric webinar_signups.",
    });
    expect(await defineMetrics({ db }, { workspaceId, definitions: [renamed] })).toMatchObject({
      updated: 1,
    });
  });
});
