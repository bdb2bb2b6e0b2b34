import { describe, expect, it } from "vitest";
import { AgreedDefinitionRepository } from "../../src/db/repositories/agreed-definition-repository.ts";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { lastCompleteWeek, parseIsoWeek } from "../../src/domain/week.ts";
import { campaignWeekReport } from "../../src/services/campaign-week-report.ts";
import { generateDemoData } from "../../src/services/demo/demo-data.ts";
import { seedDemo } from "../../src/services/seed-demo.ts";
import { suiteDatabase, type TestDatabase, uniqueId } from "../support/database.ts";

const NOW = new Date("2026-11-22T15:00:00Z");

async function counts(db: TestDatabase, workspaceId: string) {
  const where = { where: { workspaceId } };
  return {
    campaigns: await db.prisma.campaign.count(where),
    leads: await db.prisma.lead.count(where),
    feedback: await db.prisma.leadFeedback.count(where),
    outcomes: await db.prisma.outcome.count(where),
    metricValues: await db.prisma.metricValue.count(where),
    notes: await db.prisma.contextNote.count(where),
    definitions: await db.prisma.agreedDefinition.count(where),
  };
}

describe("demo data", () => {
  it("is the same for the same day and different for another day", () => {
    const a = generateDemoData({ today: "2026-11-22", timeZone: "America/New_York" });
    const b = generateDemoData({ today: "2026-11-22", timeZone: "America/New_York" });
    const c = generateDemoData({ today: "2026-12-01", timeZone: "America/New_York" });
    expect(a).toEqual(b);
    expect(c.leads[0]?.createdAt).not.toEqual(a.leads[0]?.createdAt);
  });

  it("gives its not-yet verdicts revisit dates, the oldest already past, so some leads come back", () => {
    const today = "2026-11-22";
    const data = generateDemoData({ today, timeZone: "America/New_York" });
    const notYet = data.verdicts.filter((v) => v.verdict === "not_yet");
    expect(notYet.length).toBeGreaterThan(0);
    for (const v of notYet) expect(v.revisitOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const due = notYet.filter((v) => (v.revisitOn ?? "") <= today);
    expect(due.length).toBeGreaterThan(0);
    expect(due.length).toBeLessThan(notYet.length);
    for (const v of data.verdicts) if (v.verdict !== "not_yet") expect(v.revisitOn).toBeUndefined();
  });

  it("includes outcomes that tell a story: the webinar's wrong-role rejections often bought", () => {
    const data = generateDemoData({ today: "2026-11-22", timeZone: "America/New_York" });
    const today = new Date("2026-11-22T05:00:00Z");
    const created = new Map(data.leads.map((l) => [l.externalId, l]));
    for (const o of data.outcomes) {
      expect(o.at.getTime()).toBeGreaterThan(created.get(o.lead)?.createdAt.getTime() ?? Infinity);
      expect(o.at.getTime()).toBeLessThan(today.getTime());
    }
    expect(new Set(data.outcomes.map((o) => o.type))).toEqual(
      new Set(["opportunity", "won", "lost"]),
    );
    const bought = new Set(data.outcomes.map((o) => o.lead));
    const rejected = data.verdicts.filter((v) => v.verdict === "not_fit");
    const share = (verdicts: typeof rejected) =>
      verdicts.filter((v) => bought.has(v.externalId)).length / verdicts.length;
    const wrongRole = (v: (typeof rejected)[number]) =>
      created.get(v.externalId)?.campaignKey === "q4-webinar" && v.reasons.includes("wrong_role");
    expect(share(rejected.filter(wrongRole))).toBeGreaterThan(
      3 * share(rejected.filter((v) => !wrongRole(v))),
    );
  });

  it("looks like a real quarter: six campaigns across channels, ~300 leads, twelve weeks of metrics", () => {
    const data = generateDemoData({ today: "2026-11-22", timeZone: "America/New_York" });
    expect(new Set(data.campaigns.map((c) => c.channel)).size).toBe(6);
    expect(data.leads.length).toBeGreaterThan(250);
    expect(data.leads.length).toBeLessThan(400);
    const weeks = new Set(data.metricValues.map((v) => v.periodStart));
    expect(weeks.size).toBe(12);
    const keys = new Set(data.metricValues.map((v) => v.metricKey));
    for (const key of [
      "impressions",
      "clicks",
      "leads",
      "sqls",
      "pipeline",
      "revenue",
      "spend",
      "nps",
    ]) {
      expect(keys).toContain(key);
    }
    const verdicts = new Set(data.verdicts.map((v) => v.verdict));
    expect(verdicts).toEqual(new Set(["fit", "not_yet", "not_fit"]));
    expect(
      data.verdicts.filter((v) => v.verdict === "not_fit").every((v) => v.reasons.length > 0),
    ).toBe(true);
    // nothing is judged before it exists, nor in the future
    const created = new Map(data.leads.map((l) => [l.externalId, l.createdAt]));
    for (const v of data.verdicts) {
      expect(v.givenAt.getTime()).toBeGreaterThan(
        created.get(v.externalId)?.getTime() ?? Number.POSITIVE_INFINITY,
      );
      expect(v.givenAt.getTime()).toBeLessThan(NOW.getTime());
    }
  });
});

describe("seeding the demo", () => {
  const { db } = suiteDatabase();

  it("is idempotent: a second run replaces the demo's rows and doubles nothing", async () => {
    const workspaceId = uniqueId();
    const options = { workspaceId, workspaceName: "Demo", timeZone: "America/New_York" };
    const first = await seedDemo({ db, repos: createRepositories(db), now: () => NOW }, options);
    const after = await counts(db, workspaceId);
    expect(after).toEqual({
      campaigns: 6,
      leads: first.leads,
      feedback: first.verdicts,
      outcomes: first.outcomes,
      metricValues: first.metricValues,
      notes: first.notes,
      // The accepted definition and sales' pending proposal.
      definitions: 2,
    });
    // The proposal's backtest: a bigger-company rule would have kept out leads that later won.
    expect(first.proposal.definition).toMatchObject({ version: 2, state: "proposed" });
    expect(first.proposal.backtest.excluded.won).toBeGreaterThan(0);
    const week = lastCompleteWeek(NOW, "America/New_York");
    expect(week).toEqual(parseIsoWeek("2026-W46"));
    const report = await campaignWeekReport(
      { repos: createRepositories(db) },
      { workspace: first.workspace, week },
    );

    const second = await seedDemo({ db, repos: createRepositories(db), now: () => NOW }, options);
    expect(await counts(db, workspaceId)).toEqual(after);
    expect(
      await campaignWeekReport(
        { repos: createRepositories(db) },
        { workspace: second.workspace, week },
      ),
    ).toEqual(report);

    expect(second.workspace.northStar?.metricKey).toBe("pipeline");
    expect(second.workspace.kpis).toHaveLength(5);
    expect((await new AgreedDefinitionRepository(db.prisma).active(workspaceId))?.version).toBe(1);
    expect(second.proposal).toEqual(first.proposal);
    const totals = report.rows.reduce((sum, r) => sum + r.leads, 0);
    expect(totals).toBeGreaterThan(10);
    expect(report.rows.some((r) => r.fitRate !== null && r.costPerFitLead !== null)).toBe(true);
    // Two full seedings: a hang guard sized for a loaded machine, not a performance target.
  }, 180_000);
});
