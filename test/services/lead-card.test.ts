import { beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/domain/workspace.ts";
import { leadCardInput } from "../../src/services/lead-card.ts";
import { recordVerdict } from "../../src/services/record-verdict.ts";
import { leadToStore, newWorkspace, suiteDatabase, uniqueId } from "../support/database.ts";

describe("what a lead's card shows", () => {
  const { db, repos } = suiteDatabase();
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma);
    await repos.reasons.define(workspace.id, [
      { key: "trade_show_only", label: "Met only at a trade show", owner: "marketing" },
    ]);
  });

  const cardOf = async (campaignId: string | null) => {
    const lead = await repos.leads.upsert(
      workspace.id,
      leadToStore({ externalId: uniqueId("crm-"), campaignId, createdAt: new Date() }),
    );
    return { lead, card: () => leadCardInput({ repos }, { lead }) };
  };

  it("names the campaign by its name, and a lead without one by none", async () => {
    const campaign = await repos.campaigns.upsert(workspace.id, {
      key: "q4-webinar",
      name: "Q4 Webinar: Forecasting",
      channel: null,
      owner: null,
      startsOn: null,
      endsOn: null,
      budget: null,
    });
    expect((await (await cardOf(campaign.id)).card()).campaignName).toBe("Q4 Webinar: Forecasting");
    const without = await (await cardOf(null)).card();
    expect(without).toMatchObject({ campaignName: null, current: null });
  });

  it("labels a not-a-fit verdict's reasons, a reason retired since by the label it had", async () => {
    const { lead, card } = await cardOf(null);
    await recordVerdict(
      { repos, now: () => new Date() },
      {
        workspaceId: workspace.id,
        leadId: lead.id,
        verdict: "not_fit",
        reasons: ["no_budget", "trade_show_only"],
        note: null,
        revisitOn: null,
        userId: "U0CARDREP1",
        requestKey: uniqueId("action:"),
      },
    );
    await repos.reasons.retire(workspace.id, "trade_show_only", new Date());
    const shown = await card();
    expect(shown.current?.feedback.verdict).toBe("not_fit");
    expect(shown.current?.reasonLabels).toEqual(["No budget", "Met only at a trade show"]);
  });
});
