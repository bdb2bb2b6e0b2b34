import { describe, expect, it } from "vitest";
import type { Verdict } from "../../../src/domain/verdict.ts";
import { parseIsoWeek } from "../../../src/domain/week.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../../support/database.ts";

const WEEK = { start: new Date("2026-11-16T00:00:00Z"), end: new Date("2026-11-23T00:00:00Z") };

describe("the week's verdict figures", () => {
  const { db, repos } = suiteDatabase();

  /** A new workspace with these campaigns, and how a test adds its leads (all meeting the definition) and verdicts. */
  async function workspaceWithCampaigns(campaignKeys: string[]) {
    const workspace = await newWorkspace(db.prisma);
    const ids = await repos.campaigns.ensureKeys(workspace.id, campaignKeys);
    const lead = (externalId: string, createdAt: string, campaign: string | null = null) =>
      repos.leads.upsert(
        workspace.id,
        leadToStore({
          externalId,
          email: `${externalId}@x.example`,
          campaignId: campaign === null ? null : (ids.get(campaign) ?? null),
          createdAt: new Date(createdAt),
          definition: { status: "met", failures: [], version: 1 },
        }),
      );
    const verdict = (
      leadId: string,
      given: string,
      value: Verdict = "fit",
      reasons: string[] = [],
    ) =>
      repos.feedback.append(workspace.id, {
        leadId,
        verdict: value,
        reasons,
        note: null,
        userId: "U1",
        givenAt: new Date(given),
        definitionStatus: "met",
      });
    return { workspace, lead, verdict };
  }

  it("count each lead of the week once, by the verdict in force at its end, and the not-a-fit reasons most frequent first", async () => {
    const { workspace, lead, verdict } = await workspaceWithCampaigns(["alpha", "beta"]);
    const changedMind = await lead("a1", "2026-11-16T09:00:00Z", "alpha");
    await verdict(changedMind.id, "2026-11-17T09:00:00Z", "not_fit", ["wrong_role"]);
    await verdict(changedMind.id, "2026-11-18T09:00:00Z", "fit");
    const twoReasons = await lead("a2", "2026-11-17T09:00:00Z", "alpha");
    await verdict(twoReasons.id, "2026-11-17T10:00:00Z", "not_fit", ["wrong_role", "no_budget"]);
    for (const externalId of ["b1", "b2"]) {
      const rejected = await lead(externalId, "2026-11-20T09:00:00Z", "beta");
      await verdict(rejected.id, "2026-11-21T09:00:00Z", "not_fit", ["wrong_role"]);
      // Given after the week: the week's figures stay as they were at its end.
      await verdict(rejected.id, "2026-11-24T09:00:00Z", "fit");
    }
    await lead("none", "2026-11-22T23:00:00Z");
    const earlier = await lead("earlier", "2026-11-15T23:59:00Z", "alpha");
    await verdict(earlier.id, "2026-11-16T09:00:00Z", "not_fit", ["wrong_role"]);

    const figures = await repos.figures.verdictFigures(workspace.id, WEEK);

    const counts = (created: number, fit: number, notFit: number) => ({
      created,
      reviewed: fit + notFit,
      fit,
      notYet: 0,
      notFit,
      rejectedDespiteDefinition: notFit,
    });
    expect(figures.leadCounts).toEqual([
      { campaignKey: "alpha", ...counts(2, 1, 1) },
      { campaignKey: "beta", ...counts(2, 0, 2) },
      { campaignKey: null, ...counts(1, 0, 0) },
    ]);
    expect(figures.reasonCounts).toEqual([
      { campaignKey: "beta", reason: "wrong_role", count: 2 },
      { campaignKey: "alpha", reason: "no_budget", count: 1 },
      { campaignKey: "alpha", reason: "wrong_role", count: 1 },
    ]);
    expect(await repos.figures.leadCountsByCampaign(workspace.id, WEEK)).toEqual(
      figures.leadCounts,
    );
  });

  it("count the leads overdue at a time from their first verdict: judged later, judged out of order, verdicts moved by a merge", async () => {
    const { workspace, lead, verdict } = await workspaceWithCampaigns(["alpha"]);
    const at = new Date("2026-11-23T00:00:00Z");
    // 48 h SLA: leads created before 21 November count.
    const overdue = (campaignKey: string | null = null) =>
      repos.figures.overdueAt(workspace.id, at, 48, campaignKey);
    await lead("never", "2026-11-10T09:00:00Z", "alpha");
    await lead("too-new", "2026-11-22T09:00:00Z");
    const judgedInTime = await lead("in-time", "2026-11-10T09:00:00Z", "alpha");
    await verdict(judgedInTime.id, "2026-11-11T09:00:00Z");
    const judgedLate = await lead("late", "2026-11-10T09:00:00Z");
    await verdict(judgedLate.id, "2026-11-24T09:00:00Z");
    expect(await overdue()).toBe(2);
    expect(await overdue("alpha")).toBe(1);
    // A verdict stored with an earlier time than the first one (a late-arriving record) counts.
    await verdict(judgedLate.id, "2026-11-20T09:00:00Z");
    expect(await overdue()).toBe(1);
    // Merging CRM records moves the merged lead's verdicts onto the survivor.
    const merged = await lead("merged", "2026-11-12T09:00:00Z");
    await verdict(merged.id, "2026-11-13T09:00:00Z");
    await lead("survivor", "2026-11-12T09:00:00Z");
    expect(await overdue()).toBe(2);
    await repos.leads.mergeInto(workspace.id, { from: "merged", into: "survivor" });
    expect(await overdue()).toBe(1);
  });

  it("combine a metric's values into weeks: weekly over daily, as the metric aggregates, every source, only the weeks asked for", async () => {
    const workspace = await newWorkspace(db.prisma);
    await repos.metrics.define(workspace.id, [
      {
        key: "headcount",
        label: "Headcount",
        unit: "count",
        stage: "advocacy",
        goal: "keep",
        direction: "higher",
        aggregation: "last",
        owner: null,
      },
    ]);
    const value = (
      metricKey: string,
      campaignKey: string,
      granularity: "day" | "week",
      periodStart: string,
      value: number,
      source = "a",
    ) => ({ metricKey, campaignKey, granularity, periodStart, value, source });
    await repos.metrics.upsertValues(workspace.id, [
      // spend (a sum): W46 from its days, Sunday included; W47 from its weekly values of two sources.
      value("spend", "alpha", "day", "2026-11-09", 10),
      value("spend", "alpha", "day", "2026-11-15", 5.25),
      value("spend", "alpha", "day", "2026-11-16", 7),
      value("spend", "alpha", "week", "2026-11-16", 100),
      value("spend", "alpha", "week", "2026-11-16", 20.5, "b"),
      value("spend", "beta", "day", "2026-11-22", 3),
      // Outside W46–W47: the Sunday before, the week before, the Monday after.
      value("spend", "beta", "day", "2026-11-08", 9),
      value("spend", "beta", "week", "2026-11-02", 4),
      value("spend", "beta", "week", "2026-11-23", 50),
      // nps (an average): W46 from its days, W47 from its weekly values.
      value("nps", "", "day", "2026-11-10", 40),
      value("nps", "", "day", "2026-11-11", 50),
      value("nps", "", "week", "2026-11-16", 30),
      value("nps", "", "week", "2026-11-16", 37, "b"),
      value("nps", "", "day", "2026-11-17", 90),
      // headcount (the newest): W46's latest day; W47's weekly value updated last.
      value("headcount", "", "day", "2026-11-09", 100),
      value("headcount", "", "day", "2026-11-12", 120),
      value("headcount", "", "day", "2026-11-20", 999),
      value("headcount", "", "week", "2026-11-16", 140, "b"),
    ]);
    // A later statement, so a later update (timestamps are kept to the millisecond).
    await new Promise((resolve) => setTimeout(resolve, 5));
    await repos.metrics.upsertValues(workspace.id, [
      value("headcount", "", "week", "2026-11-16", 130),
    ]);
    const weeks = await repos.figures.metricWeeks(
      workspace.id,
      { keys: ["spend", "nps", "headcount"] },
      { first: parseIsoWeek("2026-W46"), last: parseIsoWeek("2026-W47") },
    );
    expect(weeks.map((w) => [w.metricKey, w.campaignKey, w.weekStart, w.value]).sort()).toEqual([
      ["headcount", "", "2026-11-09", 120],
      ["headcount", "", "2026-11-16", 130],
      ["nps", "", "2026-11-09", 45],
      ["nps", "", "2026-11-16", 33.5],
      ["spend", "alpha", "2026-11-09", 15.25],
      ["spend", "alpha", "2026-11-16", 120.5],
      ["spend", "beta", "2026-11-16", 3],
    ]);
    const beta = await repos.figures.metricWeeks(
      workspace.id,
      { keys: ["spend", "nps", "headcount"] },
      { first: parseIsoWeek("2026-W46"), last: parseIsoWeek("2026-W47") },
      "beta",
    );
    expect(beta).toEqual([
      { metricKey: "spend", campaignKey: "beta", weekStart: "2026-11-16", value: 3 },
    ]);
  });

  it("read the weeks of the metrics asked for by key, and of every metric in use of a stage", async () => {
    const workspace = await newWorkspace(db.prisma);
    const value = (metricKey: string, value: number) => ({
      metricKey,
      campaignKey: "",
      granularity: "week" as const,
      periodStart: "2026-11-16",
      value,
      source: "api",
    });
    await repos.metrics.upsertValues(workspace.id, [
      value("spend", 500),
      value("leads", 40),
      value("mqls", 12),
      value("sqls", 5),
      value("impressions", 9000),
    ]);
    await db.prisma.metricDefinition.update({
      where: { workspaceId_key: { workspaceId: workspace.id, key: "sqls" } },
      data: { retiredAt: new Date() },
    });
    const weeks = await repos.figures.metricWeeks(
      workspace.id,
      { keys: ["spend"], stages: ["lead"] },
      { first: parseIsoWeek("2026-W47"), last: parseIsoWeek("2026-W47") },
    );
    expect(weeks.map((w) => [w.metricKey, w.value]).sort()).toEqual([
      ["leads", 40],
      ["mqls", 12],
      ["spend", 500],
    ]);
  });
});
