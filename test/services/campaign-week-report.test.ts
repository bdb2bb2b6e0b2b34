import { beforeAll, describe, expect, it } from "vitest";
import { CampaignRepository } from "../../src/db/repositories/campaign-repository.ts";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { LeadFeedbackRepository } from "../../src/db/repositories/lead-feedback-repository.ts";
import { LeadRepository } from "../../src/db/repositories/lead-repository.ts";
import { MetricRepository } from "../../src/db/repositories/metric-repository.ts";
import type { DefinitionCheckStatus, Verdict } from "../../src/domain/verdict.ts";
import { parseIsoWeek } from "../../src/domain/week.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { campaignWeekReport } from "../../src/services/campaign-week-report.ts";
import { NOTHING_COUNTED } from "../domain/empty-figures.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

// Hand-made data with known answers. Europe/Berlin leaves summer time on Sunday 2026-10-25, so
// ISO week 2026-W43 runs from 2026-10-18T22:00Z to 2026-10-25T23:00Z (169 hours).
const WEEK = parseIsoWeek("2026-W43");
const AFTER_WEEK = "2026-10-27T09:00:00Z";

describe("campaign week report", () => {
  const { db } = suiteDatabase();
  let workspace: Workspace;

  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma, { timezone: "Europe/Berlin" });
    const ids = await new CampaignRepository(db.prisma).ensureKeys(workspace.id, [
      "alpha",
      "beta",
      "gamma",
    ]);
    const leads = new LeadRepository(db.prisma);
    const feedback = new LeadFeedbackRepository(db.prisma, db.pool);
    let n = 0;
    const lead = async (
      campaign: string | null,
      createdAt: string,
      verdicts: [Verdict, string, string[]?][] = [],
      definition: DefinitionCheckStatus = "met",
    ) => {
      n += 1;
      const stored = await leads.upsert(workspace.id, {
        externalId: `lead-${n}`,
        email: `lead${n}@example.com`,
        name: null,
        company: null,
        title: null,
        campaignId: campaign ? (ids.get(campaign) ?? null) : null,
        owner: null,
        createdAt: new Date(createdAt),
        fields: {},
        definition: { status: definition, failures: [], version: 1 },
      });
      for (const [verdict, givenAt, reasons = []] of verdicts) {
        await feedback.append(workspace.id, {
          leadId: stored.id,
          verdict,
          reasons,
          note: null,
          userId: "U1",
          givenAt: new Date(givenAt),
          definitionStatus: definition,
        });
      }
    };
    // alpha: six leads in the week
    await lead("alpha", "2026-10-19T08:00:00Z", [["fit", "2026-10-19T12:00:00Z"]]);
    await lead("alpha", "2026-10-20T08:00:00Z", [["not_yet", "2026-10-21T12:00:00Z"]]);
    await lead("alpha", "2026-10-21T08:00:00Z", [
      ["not_fit", "2026-10-21T12:00:00Z", ["wrong_role"]],
    ]);
    await lead("alpha", "2026-10-22T08:00:00Z");
    // judged not a fit in the week, re-judged a good fit after it: the week keeps "not a fit"
    await lead(
      "alpha",
      "2026-10-23T08:00:00Z",
      [
        ["not_fit", "2026-10-23T12:00:00Z", ["wrong_role", "no_budget"]],
        ["fit", AFTER_WEEK],
      ],
      "not_met",
    );
    // Sunday 23:30 local, after the clocks went back: still in the week; judged only after it
    await lead("alpha", "2026-10-25T22:30:00Z", [["fit", AFTER_WEEK]]);
    // Monday 00:30 local: the next week, not counted
    await lead("alpha", "2026-10-25T23:30:00Z", [["fit", "2026-10-26T10:00:00Z"]]);
    // Sunday 23:30 CEST of the week before: not counted either
    await lead("alpha", "2026-10-18T21:30:00Z", [["fit", "2026-10-19T10:00:00Z"]]);
    // beta: two leads, both "not yet"
    await lead("beta", "2026-10-20T10:00:00Z", [["not_yet", "2026-10-20T11:00:00Z"]]);
    await lead("beta", "2026-10-21T10:00:00Z", [["not_yet", "2026-10-21T11:00:00Z"]]);
    // no campaign
    await lead(null, "2026-10-21T10:00:00Z", [["fit", "2026-10-21T11:00:00Z"]]);

    const days = [
      "2026-10-19",
      "2026-10-20",
      "2026-10-21",
      "2026-10-22",
      "2026-10-23",
      "2026-10-24",
      "2026-10-25",
    ];
    await new MetricRepository(db.prisma).upsertValues(workspace.id, [
      // alpha: daily spend only, 7 × 100; the next Monday is outside the week
      ...days.map((periodStart) => ({
        metricKey: "spend",
        campaignKey: "alpha",
        granularity: "day" as const,
        periodStart,
        value: 100,
        source: "ads",
      })),
      {
        metricKey: "spend",
        campaignKey: "alpha",
        granularity: "day",
        periodStart: "2026-10-26",
        value: 999,
        source: "ads",
      },
      // beta: a weekly value wins over daily ones
      {
        metricKey: "spend",
        campaignKey: "beta",
        granularity: "week",
        periodStart: "2026-10-19",
        value: 500,
        source: "ads",
      },
      {
        metricKey: "spend",
        campaignKey: "beta",
        granularity: "day",
        periodStart: "2026-10-20",
        value: 10,
        source: "ads",
      },
    ]);
  });

  it("counts the week's leads with the verdict each had at the week's end", async () => {
    const report = await campaignWeekReport(
      { repos: createRepositories(db) },
      { workspace, week: WEEK },
    );
    expect(report.week).toBe("2026-W43");
    expect(report.rows).toEqual([
      {
        campaignKey: "alpha",
        campaignName: "alpha",
        spend: 700,
        leads: 6,
        reviewed: 4,
        fit: 1,
        notYet: 1,
        notFit: 2,
        fitRate: 1 / 3,
        costPerFitLead: 700,
        topReason: "wrong_role",
      },
      {
        campaignKey: "beta",
        campaignName: "beta",
        spend: 500,
        leads: 2,
        reviewed: 2,
        fit: 0,
        notYet: 2,
        notFit: 0,
        fitRate: null,
        costPerFitLead: null,
        topReason: null,
      },
      {
        campaignKey: "gamma",
        campaignName: "gamma",
        ...NOTHING_COUNTED,
        topReason: null,
      },
      {
        campaignKey: null,
        campaignName: "(no campaign)",
        spend: null,
        leads: 1,
        reviewed: 1,
        fit: 1,
        notYet: 0,
        notFit: 0,
        fitRate: 1,
        costPerFitLead: null,
        topReason: null,
      },
    ]);
  });

  it("gives the later week the re-judged verdicts and its own leads", async () => {
    const report = await campaignWeekReport(
      { repos: createRepositories(db) },
      { workspace, week: parseIsoWeek("2026-W44") },
    );
    const alpha = report.rows.find((r) => r.campaignKey === "alpha");
    expect(alpha).toMatchObject({ leads: 1, reviewed: 1, fit: 1, spend: 999 });
  });
});
