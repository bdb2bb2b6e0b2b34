import { beforeAll, describe, expect, it } from "vitest";
import { transaction } from "../../src/db/repositories/index.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { buildHindsight } from "../../src/services/build-hindsight.ts";
import { storeMetrics } from "../../src/services/ingest-metrics.ts";
import { recordOutcomes } from "../../src/services/record-outcomes.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../support/database.ts";

const NOW = new Date("2026-12-06T12:00:00Z");
const at = (date: string) => new Date(`${date}T10:00:00Z`);

/**
 * Hand-made leads with known answers. Campaign spring (March 2026, a mature cohort):
 * L1 fit → opportunity after 22 days → won $12,000;
 * L2 not a fit (wrong industry) → opportunity lost, a new one won $5,000; judged fit afterwards;
 * L3 judged twice before its outcome (not a fit, then not yet) → opportunity after 113 days;
 * L4 opportunity after 5 days, judged not a fit only afterwards (counts as none);
 * L5 never judged, no outcome; L6 not a fit (wrong industry) though it met the definition, nothing.
 * Campaign autumn (October 2026, immature): L7 fit → opportunity after 15 days; L8 deleted.
 */
describe("hindsight", () => {
  const { db, repos } = suiteDatabase();
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma);
    const campaigns = await repos.campaigns.ensureKeys(workspace.id, ["spring", "autumn"]);
    const lead = (n: number, campaign: string, created: string) =>
      repos.leads.upsert(
        workspace.id,
        leadToStore({
          externalId: `L${n}`,
          email: `l${n}@acme.example`,
          company: `Company ${n}`,
          campaignId: campaigns.get(campaign) ?? null,
          createdAt: at(created),
        }),
      );
    const leads = new Map<number, string>();
    for (const n of [1, 2, 3, 4, 5, 6]) leads.set(n, (await lead(n, "spring", "2026-03-10")).id);
    for (const n of [7, 8]) leads.set(n, (await lead(n, "autumn", "2026-10-05")).id);
    const verdict = (
      n: number,
      verdict: "fit" | "not_yet" | "not_fit",
      date: string,
      reasons: string[] = [],
      met = false,
    ) =>
      db.prisma.leadFeedback.create({
        data: {
          workspaceId: workspace.id,
          leadId: leads.get(n) as string,
          verdict,
          reasons,
          userId: n % 2 === 0 ? "U0SAM" : "U0ALEX",
          givenAt: at(date),
          definitionStatus: met ? "met" : "not_met",
        },
      });
    await verdict(1, "fit", "2026-03-11");
    await verdict(2, "not_fit", "2026-03-11", ["wrong_industry"]);
    await verdict(2, "fit", "2026-06-15");
    await verdict(3, "not_fit", "2026-03-11", ["company_too_small"]);
    await verdict(3, "not_yet", "2026-03-20");
    await verdict(4, "not_fit", "2026-03-20", ["no_budget"]);
    await verdict(6, "not_fit", "2026-03-11", ["wrong_industry"], true);
    await verdict(7, "fit", "2026-10-06");
    await verdict(8, "not_fit", "2026-10-06", ["no_need"]);
    const outcome = (
      lead: number,
      externalId: string,
      type: "opportunity" | "won" | "lost",
      date: string,
      amount: number | null = null,
    ) => ({ externalId, lead: `L${lead}`, type, at: at(date), amount });
    await recordOutcomes(
      { db },
      {
        workspaceId: workspace.id,
        outcomes: [
          outcome(1, "opp-1", "opportunity", "2026-04-01", 10000),
          outcome(1, "opp-1", "won", "2026-05-01", 12000),
          outcome(2, "opp-2", "opportunity", "2026-04-10"),
          outcome(2, "opp-2", "lost", "2026-04-20"),
          outcome(2, "opp-3", "opportunity", "2026-05-01"),
          outcome(2, "opp-3", "won", "2026-06-01", 5000),
          outcome(3, "opp-4", "opportunity", "2026-07-01"),
          outcome(4, "opp-5", "opportunity", "2026-03-15"),
          outcome(7, "opp-7", "opportunity", "2026-10-20"),
          outcome(8, "opp-8", "won", "2026-11-01", 99000),
        ],
      },
    );
    await repos.leads.deleteWithHistory(workspace.id, "L8");
    const spend = (campaign: string, period: string, value: number) => ({
      metric: "spend",
      campaign,
      period: period.includes("W")
        ? { granularity: "week" as const, periodStart: "2026-03-09" }
        : { granularity: "day" as const, periodStart: period },
      value,
      source: "api",
    });
    await transaction(db, (repos) =>
      storeMetrics(
        { repos },
        {
          workspaceId: workspace.id,
          values: [
            spend("spring", "2026-W11", 3000),
            // The week's weekly value wins over its daily ones.
            spend("spring", "2026-03-10", 100),
            spend("autumn", "2026-10-06", 500),
          ],
        },
      ),
    );
  });

  const build = (input: Partial<Parameters<typeof buildHindsight>[1]> = {}) =>
    buildHindsight(
      { repos },
      { workspace, now: NOW, since: "2026-01-01", viewerIsAdmin: false, ...input },
    );

  it("counts each verdict's leads, opportunities and wins, with the verdict given before the first outcome", async () => {
    const hindsight = await build();
    expect(hindsight.verdicts).toEqual([
      { verdict: "fit", leads: 2, reachedOpportunity: 2, won: 1, wonAmount: 12000 },
      { verdict: "not_yet", leads: 1, reachedOpportunity: 1, won: 0, wonAmount: 0 },
      { verdict: "not_fit", leads: 2, reachedOpportunity: 1, won: 1, wonAmount: 5000 },
      { verdict: "none", leads: 2, reachedOpportunity: 1, won: 0, wonAmount: 0 },
    ]);
    expect(hindsight.notYetConverted).toEqual({
      leads: 1,
      reachedOpportunity: 1,
      won: 0,
      wonAmount: 0,
    });
    expect(hindsight.rejectedDespiteDefinition).toEqual({
      leads: 1,
      reachedOpportunity: 0,
      won: 0,
      wonAmount: 0,
    });
  });

  it("lists the rejected leads that bought, and how often each reason proved right", async () => {
    const hindsight = await build();
    expect(hindsight.rejectedThenBought).toEqual({
      total: 1,
      won: 1,
      wonAmount: 5000,
      leads: [
        {
          externalId: "L2",
          email: "l2@acme.example",
          company: "Company 2",
          campaignKey: "spring",
          reasons: ["wrong_industry"],
          judgedBy: "U0SAM",
          judgedAt: at("2026-03-11"),
          firstOutcomeAt: at("2026-04-10"),
          won: true,
          wonAmount: 5000,
        },
      ],
    });
    expect(hindsight.reasons).toEqual([
      {
        reason: "wrong_industry",
        label: "Wrong industry",
        leads: 2,
        reachedOpportunity: 1,
        won: 1,
        provedRight: 1,
        provedRightRate: 0.5,
      },
    ]);
  });

  it("gives the funnel per campaign and cohort, spend against outcomes, immature cohorts provisional", async () => {
    const hindsight = await build();
    expect(hindsight.total).toEqual({
      leads: 7,
      judged: 5,
      fit: 2,
      notYet: 1,
      notFit: 2,
      opportunities: 5,
      wins: 2,
      wonAmount: 17000,
      spend: 3500,
      costPerOpportunity: 700,
      costPerWonDeal: 1750,
      returnOnSpend: 17000 / 3500,
      medianDaysToOpportunity: 22,
      provisional: true,
    });
    expect(hindsight.provisional).toBe(true);
    expect(hindsight.cohorts.map((c) => [c.start, c.end, c.leads, c.spend, c.provisional])).toEqual(
      [
        ["2026-03-01", "2026-03-31", 6, 3000, false],
        ["2026-10-01", "2026-10-31", 1, 500, true],
      ],
    );
    expect(
      hindsight.campaigns.map((c) => [c.campaign, c.leads, c.wins, c.spend, c.provisional]),
    ).toEqual([
      ["spring", 6, 2, 3000, false],
      ["autumn", 1, 0, 500, true],
    ]);
    const weekly = await build({ cohortSize: "week", since: "2026-03-01", until: "2026-03-31" });
    expect(weekly.cohorts.map((c) => [c.start, c.leads, c.medianDaysToOpportunity])).toEqual([
      ["2026-03-09", 6, 26.5],
    ]);
    expect(weekly.provisional).toBe(false);
  });

  it("takes the median days to opportunity per campaign and cohort, none without an opportunity", async () => {
    // Spring: 5, 22, 31 and 113 days (the mean of the two middle ones); autumn: 15 days.
    const hindsight = await build();
    expect(hindsight.campaigns.map((c) => [c.campaign, c.medianDaysToOpportunity])).toEqual([
      ["spring", 26.5],
      ["autumn", 15],
    ]);
    expect(hindsight.cohorts.map((c) => [c.start, c.medianDaysToOpportunity])).toEqual([
      ["2026-03-01", 26.5],
      ["2026-10-01", 15],
    ]);
    const noOpportunity = await build({ since: "2026-11-01", until: "2026-11-30" });
    expect(noOpportunity.total.medianDaysToOpportunity).toBeNull();
  });

  it("narrows to one campaign, and refuses an unknown one and a period that ends before it starts", async () => {
    const autumn = await build({ campaignKey: "autumn" });
    expect(autumn.total).toMatchObject({ leads: 1, opportunities: 1, spend: 500 });
    await expect(build({ campaignKey: "winter" })).rejects.toMatchObject({ code: "not_found" });
    await expect(build({ since: "2026-12-01", until: "2026-11-01" })).rejects.toMatchObject({
      code: "invalid_request",
    });
  });

  it("shows figures per rep only when the workspace turned them on, and only to admins", async () => {
    expect((await build({ viewerIsAdmin: true })).reps).toBeNull();
    await repos.hindsight.saveSettings(workspace.id, { conversionWindowDays: 60, perRep: true });
    expect((await build({ viewerIsAdmin: false })).reps).toBeNull();
    const hindsight = await build({ viewerIsAdmin: true });
    expect(hindsight.reps?.map((r) => [r.rep, r.verdicts.map((v) => v.leads)])).toEqual([
      ["U0ALEX", [2, 1, 0]],
      ["U0SAM", [0, 0, 2]],
    ]);
    // A 60-day window leaves October's cohort immature still, March's long mature.
    expect(hindsight.cohorts.map((c) => c.provisional)).toEqual([false, true]);
    await repos.hindsight.saveSettings(workspace.id, { conversionWindowDays: 30, perRep: true });
    // …and a 30-day one matures it on 1 December.
    expect((await build()).provisional).toBe(false);
    await repos.hindsight.saveSettings(workspace.id, { conversionWindowDays: 180, perRep: false });
  });
});
