import { beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/domain/workspace.ts";
import {
  addCampaignAlias,
  listCampaignAliases,
  removeCampaignAlias,
} from "../../src/services/campaign-aliases.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

const ADMIN = "U0ALIASADM";

describe("campaign aliases, as the service adds and removes them", () => {
  const { db, repos } = suiteDatabase();
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma);
    await repos.campaigns.ensureKeys(workspace.id, ["google-brand", "q4-webinar"]);
  });

  const add = (name: string, campaignKey: string, newCampaign: "create" | "refuse" = "refuse") =>
    addCampaignAlias(
      { repos },
      {
        workspaceId: workspace.id,
        name,
        campaignKey,
        actor: ADMIN,
        newCampaign,
      },
    );
  const audit = () =>
    db.prisma.auditEntry.findMany({
      where: { workspaceId: workspace.id, action: { startsWith: "campaign_alias." } },
      select: { actor: true, action: true, details: true },
      orderBy: { createdAt: "asc" },
    });

  it.each([
    ["  ", "google-brand", "name", "Give the name the platform uses."],
    ["x".repeat(201), "google-brand", "name", "An alias has at most 200 characters."],
    ["Brand", " ", "campaignKey", "A campaign key cannot be empty"],
    ["Brand", "k".repeat(201), "campaignKey", "A campaign key has at most 200 characters"],
    ["Brand", "no-such-campaign", "campaignKey", "No campaign has the key no-such-campaign."],
  ])(
    "refuses %j → %j, saying what is wrong with which field",
    async (name, key, field, message) => {
      await expect(add(name, key)).rejects.toMatchObject({
        code: "invalid_alias",
        userMessage: message,
        issues: [{ field, message }],
      });
      expect(await listCampaignAliases({ repos }, { workspaceId: workspace.id })).toEqual([]);
    },
  );

  it("adds an alias, audited; the same again is fine, another key for the name is refused", async () => {
    await add(" Brand | Exact | US ", "google-brand");
    await add("brand | exact | us", "google-brand");
    await expect(add("BRAND | EXACT | US", "q4-webinar")).rejects.toMatchObject({
      issues: [
        {
          field: "name",
          message: '"brand | exact | us" is already an alias of google-brand: remove it first.',
        },
      ],
    });
    expect(await listCampaignAliases({ repos }, { workspaceId: workspace.id })).toEqual([
      { name: "brand | exact | us", campaignKey: "google-brand" },
    ]);
    expect((await audit())[0]).toEqual({
      actor: ADMIN,
      action: "campaign_alias.added",
      details: { name: "Brand | Exact | US", campaignKey: "google-brand" },
    });
  });

  it("creates the campaign of an unknown key only when asked to (the command line)", async () => {
    await add("Spring Launch", "spring-launch", "create");
    expect(await repos.campaigns.findByKey(workspace.id, "spring-launch")).toBeDefined();
  });

  it("removes an alias, audited; one that is not there is not found", async () => {
    await removeCampaignAlias(
      { repos },
      {
        workspaceId: workspace.id,
        name: "Spring Launch",
        actor: ADMIN,
      },
    );
    await expect(
      removeCampaignAlias(
        { repos },
        {
          workspaceId: workspace.id,
          name: "Spring Launch",
          actor: ADMIN,
        },
      ),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await audit()).filter((e) => e.action === "campaign_alias.removed")).toEqual([
      { actor: ADMIN, action: "campaign_alias.removed", details: { name: "Spring Launch" } },
    ]);
  });
});
