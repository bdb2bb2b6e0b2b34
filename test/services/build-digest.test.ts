import { describe, expect, it } from "vitest";
import { createRepositories, type Repositories } from "../../src/db/repositories/index.ts";
import type { LeadFeedbackToStore } from "../../src/db/repositories/lead-feedback-repository.ts";
import type { DefinitionCheckStatus, Verdict } from "../../src/domain/verdict.ts";
import { parseIsoWeek } from "../../src/domain/week.ts";
import { buildDigest } from "../../src/services/build-digest.ts";
import { recordOutcomes } from "../../src/services/record-outcomes.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../support/database.ts";

/** U1's verdict on a lead, given at `givenAt`. */
function verdictOn(
  leadId: string,
  verdict: Verdict,
  givenAt: string,
  {
    reasons = [],
    definitionStatus = "unknown",
  }: {
    reasons?: string[];
    definitionStatus?: DefinitionCheckStatus;
  } = {},
): LeadFeedbackToStore {
  return {
    leadId,
    verdict,
    reasons,
    note: null,
    userId: "U1",
    givenAt: new Date(givenAt),
    definitionStatus,
  };
}

/** The week's digest of the workspace as stored now, with the settings a test changed. */
async function digestOfStored(repos: Repositories, workspaceId: string, week: string) {
  const workspace = await repos.workspaces.get(workspaceId);
  if (!workspace) throw new Error("workspace vanished");
  return (await buildDigest({ repos }, { workspace, week: parseIsoWeek(week) })).digest;
}

describe("building a digest from the database", () => {
  const { db } = suiteDatabase();

  it("reads weekly figures (weekly values over daily ones), feedback and overdue leads as of the week's end", async () => {
    const workspace = await newWorkspace(db.prisma, { timezone: "America/New_York" });
    const repos = createRepositories(db);
    await repos.workspaces.setTrackedMetrics(
      workspace.id,
      {
        northStar: { metricKey: "pipeline", weeklyTarget: 1000 },
        kpis: [{ metricKey: "nps", weeklyTarget: null }],
      },
      "test",
    );
    await repos.campaigns.ensureKeys(workspace.id, ["alpha"]);
    // 2026-W45 contains the end of US summer time (Sunday 2026-11-01 belongs to W44).
    await repos.metrics.upsertValues(workspace.id, [
      {
        metricKey: "pipeline",
        campaignKey: "alpha",
        granularity: "day",
        periodStart: "2026-11-02",
        value: 300,
        source: "crm",
      },
      {
        metricKey: "pipeline",
        campaignKey: "alpha",
        granularity: "day",
        periodStart: "2026-11-08",
        value: 200,
        source: "crm",
      },
      {
        metricKey: "pipeline",
        campaignKey: "alpha",
        granularity: "day",
        periodStart: "2026-11-09",
        value: 999,
        source: "crm",
      },
      {
        metricKey: "pipeline",
        campaignKey: "alpha",
        granularity: "week",
        periodStart: "2026-10-26",
        value: 400,
        source: "crm",
      },
      {
        metricKey: "pipeline",
        campaignKey: "alpha",
        granularity: "day",
        periodStart: "2026-10-27",
        value: 5,
        source: "crm",
      },
      {
        metricKey: "nps",
        campaignKey: "",
        granularity: "day",
        periodStart: "2026-11-03",
        value: 40,
        source: "survey",
      },
      {
        metricKey: "nps",
        campaignKey: "",
        granularity: "day",
        periodStart: "2026-11-05",
        value: 50,
        source: "survey",
      },
      {
        metricKey: "spend",
        campaignKey: "alpha",
        granularity: "week",
        periodStart: "2026-11-02",
        value: 250,
        source: "ads",
      },
    ]);
    const alpha = await repos.campaigns.findByKey(workspace.id, "alpha");
    const lead = (externalId: string, createdAt: string) =>
      repos.leads.upsert(
        workspace.id,
        leadToStore({
          externalId,
          campaignId: alpha?.id ?? null,
          createdAt: new Date(createdAt),
          definition: { status: "met", failures: [], version: 1 },
        }),
      );
    const fit = await lead("a", "2026-11-03T15:00:00Z");
    await repos.feedback.append(
      workspace.id,
      verdictOn(fit.id, "fit", "2026-11-04T15:00:00Z", { definitionStatus: "met" }),
    );
    const late = await lead("b", "2026-11-03T16:00:00Z");
    // Reviewed only after the week: overdue at the week's end (48 h SLA).
    await repos.feedback.append(
      workspace.id,
      verdictOn(late.id, "not_fit", "2026-11-20T10:00:00Z", {
        reasons: ["wrong_role"],
        definitionStatus: "met",
      }),
    );
    await lead("c", "2026-11-08T20:00:00Z"); // Sunday evening local: in the week, not yet past the SLA

    const digest = await digestOfStored(repos, workspace.id, "2026-W45");
    expect(digest).toMatchObject({
      week: "2026-W45",
      weekStart: "2026-11-02",
      weekEnd: "2026-11-08",
      timeZone: "America/New_York",
    });
    expect(digest.northStar).toMatchObject({ value: 500, previous: 400, progress: 0.5 });
    expect(digest.kpis[0]).toMatchObject({ key: "nps", value: 45 });
    expect(digest.feedback).toMatchObject({
      created: 3,
      reviewed: 1,
      fit: 1,
      notFit: 0,
      overdue: 1,
    });
    expect(digest.campaigns).toEqual([
      expect.objectContaining({ key: "alpha", spend: 250, leads: 3, fit: 1, costPerFitLead: 250 }),
    ]);
  });

  it("shows a campaign's digest its own spend and the notes of its week for that campaign or the whole company, and marks every charted week with a note", async () => {
    const workspace = await newWorkspace(db.prisma);
    const repos = createRepositories(db);
    const ids = await repos.campaigns.ensureKeys(workspace.id, ["alpha", "beta"]);
    const note = (week: string, text: string, campaign: string | null) =>
      repos.contextNotes.add(workspace.id, {
        week,
        text,
        author: "U1",
        campaignId: campaign ? (ids.get(campaign) ?? null) : null,
        metricId: null,
      });
    await note("2026-W45", "company-wide", null);
    await note("2026-W45", "about alpha", "alpha");
    await note("2026-W45", "about beta", "beta");
    await note("2026-W43", "two weeks before", "alpha");
    await note("2026-W33", "before the chart", null);
    const spend = (campaignKey: string, value: number) => ({
      metricKey: "spend",
      campaignKey,
      granularity: "week" as const,
      periodStart: "2026-11-02",
      value,
      source: "ads",
    });
    await repos.metrics.upsertValues(workspace.id, [spend("alpha", 300), spend("beta", 700)]);
    const build = (campaignKey: string | null) =>
      buildDigest({ repos }, { workspace, week: parseIsoWeek("2026-W45"), campaignKey });

    const alpha = await build("alpha");
    expect(alpha.digest.notes.map((n) => n.text)).toEqual(["company-wide", "about alpha"]);
    expect(alpha.digest.campaigns.map((c) => [c.key, c.spend])).toEqual([["alpha", 300]]);
    expect(alpha.noteWeeks.sort()).toEqual(["2026-W43", "2026-W45"]);
    const all = await build(null);
    expect(all.digest.campaigns.map((c) => [c.key, c.spend])).toEqual([
      ["beta", 700],
      ["alpha", 300],
    ]);
    expect(all.digest.notes.map((n) => n.text)).toEqual([
      "company-wide",
      "about alpha",
      "about beta",
    ]);
  });

  it("refuses a campaign the workspace does not have, listing the keys it has, as plain text", async () => {
    const workspace = await newWorkspace(db.prisma);
    const repos = createRepositories(db);
    const build = (campaignKey: string) =>
      buildDigest({ repos }, { workspace, week: parseIsoWeek("2026-W45"), campaignKey }).catch(
        (e: unknown) => e,
      );
    expect(await build("nope")).toMatchObject({
      code: "unknown_campaign",
      userMessage: 'There is no campaign "nope". Campaign keys: none yet.',
    });
    await repos.campaigns.ensureKeys(workspace.id, ["a<b", "zeta"]);
    expect(await build("<!here>")).toMatchObject({
      code: "unknown_campaign",
      userMessage: 'There is no campaign "&lt;!here&gt;". Campaign keys: a&lt;b, zeta.',
    });
  });

  it("pairs an awareness KPI with the week's leads, and labels a retired reason still counted that week", async () => {
    const workspace = await newWorkspace(db.prisma);
    const repos = createRepositories(db);
    await repos.workspaces.setTrackedMetrics(
      workspace.id,
      { northStar: null, kpis: [{ metricKey: "impressions", weeklyTarget: null }] },
      "test",
    );
    await repos.metrics.upsertValues(workspace.id, [
      {
        metricKey: "impressions",
        campaignKey: "",
        granularity: "week",
        periodStart: "2026-11-02",
        value: 120_000,
        source: "ads",
      },
      {
        metricKey: "leads",
        campaignKey: "",
        granularity: "week",
        periodStart: "2026-11-02",
        value: 45,
        source: "crm",
      },
    ]);
    const lead = await repos.leads.upsert(
      workspace.id,
      leadToStore({ createdAt: new Date("2026-11-03T10:00:00Z") }),
    );
    await repos.feedback.append(
      workspace.id,
      verdictOn(lead.id, "not_fit", "2026-11-04T10:00:00Z", { reasons: ["wrong_industry"] }),
    );
    await repos.reasons.retire(workspace.id, "wrong_industry", new Date("2026-11-20T00:00:00Z"));

    const digest = await digestOfStored(repos, workspace.id, "2026-W45");
    expect(digest.northStar).toBeNull();
    expect(digest.kpis.map((k) => [k.key, k.pairing])).toEqual([
      ["impressions", "impressions 120k → 45 leads → 0 fit"],
    ]);
    expect(digest.feedback.reasonsByOwner.flatMap((g) => g.reasons.map((r) => r.label))).toEqual([
      "Wrong industry",
    ]);
  });

  it("gives the first digest of a month its hindsight: the three newest mature months, as of the week's end", async () => {
    const workspace = await newWorkspace(db.prisma);
    const repos = createRepositories(db);
    await repos.campaigns.ensureKeys(workspace.id, ["spring"]);
    // As of Sunday 2026-12-06, March to May are past the 180-day window; June is not.
    const created = { m1: "2026-03-10", m2: "2026-03-12", m3: "2026-05-20", m4: "2026-06-10" };
    for (const [externalId, date] of Object.entries(created)) {
      const lead = await repos.leads.upsert(
        workspace.id,
        leadToStore({ externalId, createdAt: new Date(`${date}T10:00:00Z`) }),
      );
      const rejected = externalId === "m2";
      await repos.feedback.append(
        workspace.id,
        verdictOn(lead.id, rejected ? "not_fit" : "fit", `${date}T12:00:00Z`, {
          reasons: rejected ? ["wrong_industry"] : [],
        }),
      );
    }
    await recordOutcomes(
      { db },
      {
        workspaceId: workspace.id,
        outcomes: [
          {
            externalId: "o2",
            lead: "m2",
            type: "won",
            at: new Date("2026-06-01T10:00:00Z"),
            amount: 7000,
          },
          {
            externalId: "o4",
            lead: "m4",
            type: "won",
            at: new Date("2026-07-01T10:00:00Z"),
            amount: 9000,
          },
        ],
      },
    );

    const opening = await buildDigest({ repos }, { workspace, week: parseIsoWeek("2026-W49") });
    const hindsight = opening.digest.hindsight;
    expect(hindsight).toMatchObject({
      since: "2026-03-01",
      until: "2026-05-31",
      provisional: false,
      reps: null,
    });
    expect(hindsight?.cohorts.map((c) => [c.start, c.leads, c.fit, c.notFit, c.wins])).toEqual([
      ["2026-03-01", 2, 1, 1, 1],
      ["2026-05-01", 1, 1, 0, 0],
    ]);
    expect(hindsight?.rejectedThenBought).toMatchObject({ total: 1, won: 1, wonAmount: 7000 });
    expect(hindsight?.reasons.map((r) => [r.reason, r.reachedOpportunity])).toEqual([
      ["wrong_industry", 1],
    ]);

    const { digest: plainWeek } = await buildDigest(
      { repos },
      {
        workspace,
        week: parseIsoWeek("2026-W48"),
      },
    );
    expect(plainWeek.hindsight).toBeNull();
    const { digest: report } = await buildDigest(
      { repos },
      {
        workspace,
        week: parseIsoWeek("2026-W49"),
        campaignKey: "spring",
      },
    );
    expect(report.hindsight).toBeNull();
  });
});
