import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../src/domain/api-key.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { ADMIN, type AppHarness, openedAdminRefusal, startApp } from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import {
  appHomeOpened,
  blockAction,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

describe("API keys and the webhook from App Home", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(() => h.close());

  const submit = (callbackId: string, userId: string, blockId: string, value: string | null) =>
    h.send(
      viewSubmission({
        callbackId,
        userId,
        teamId: h.teamId,
        values: { [blockId]: { [blockId]: textInput(value) } },
      }),
    );

  it("an admin creates a key, sees it once, and only its hash is stored", async () => {
    await h.send(
      blockAction({
        actionId: ACTIONS.homeCreateApiKey,
        userId: ADMIN,
        teamId: h.teamId,
        container: "view",
        viewType: "home",
      }),
    );
    await h.fake.openedView(VIEWS.apiKey);
    const response = await submit(VIEWS.apiKey, ADMIN, INPUTS.apiKeyLabel, "HubSpot sync");
    const shown = JSON.stringify(response.json);
    const key = /lf_[A-Za-z0-9_-]{32}/.exec(shown)?.[0];
    expect(key).toBeDefined();
    const stored = await h.deps.db.prisma.apiKey.findFirstOrThrow({
      where: { workspaceId: h.teamId },
    });
    expect(stored).toMatchObject({
      label: "HubSpot sync",
      keyHash: hashApiKey(key ?? ""),
      createdBy: ADMIN,
    });
  });

  it("refuses a key to a non-admin", async () => {
    const response = await submit(VIEWS.apiKey, "U0NOBODY01", INPUTS.apiKeyLabel, "sneaky");
    expect(JSON.stringify(response.json)).toContain("Only Leadfit admins");
    expect(
      await h.deps.db.prisma.apiKey.count({ where: { workspaceId: h.teamId, label: "sneaky" } }),
    ).toBe(0);
  });

  it("refuses a loopback webhook inline and saves a public one with a secret shown once", async () => {
    const loopback = await submit(
      VIEWS.webhook,
      ADMIN,
      INPUTS.webhookUrl,
      "http://127.0.0.1:9/hook",
    );
    expect(loopback.json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.webhookUrl]: expect.stringContaining("private") },
    });
    expect((await h.workspace()).webhook).toBeNull();

    const saved = await submit(
      VIEWS.webhook,
      ADMIN,
      INPUTS.webhookUrl,
      "https://93.184.216.34/leadfit",
    );
    const secret = /whsec_[A-Za-z0-9_-]{32}/.exec(JSON.stringify(saved.json))?.[0];
    expect((await h.workspace()).webhook).toEqual({ url: "https://93.184.216.34/leadfit", secret });
    const audit = await h.deps.db.prisma.auditEntry.findFirstOrThrow({
      where: { workspaceId: h.teamId, action: "webhook.set" },
    });
    expect(JSON.stringify(audit.details)).not.toContain(secret ?? "whsec_");
  });

  it.each([
    "http://[::ffff:127.0.0.1]:9/hook",
    "http://[0:0:0:0:0:ffff:7f00:1]:9/hook",
    "http://[::ffff:a9fe:a9fe]/latest/meta-data",
    "http://2130706433:9/hook",
    "http://0177.0.0.1:9/hook",
  ])("security #2: refuses %s inline, whatever the spelling of a private address", async (url) => {
    const saved = (await h.workspace()).webhook;
    const response = await submit(VIEWS.webhook, ADMIN, INPUTS.webhookUrl, url);
    expect(response.json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.webhookUrl]: expect.stringContaining("loopback or private address") },
    });
    expect((await h.workspace()).webhook).toEqual(saved);
  });

  it("an admin adds a campaign alias from App Home, told inline what is wrong, and removes it", async () => {
    await h.deps.repos.campaigns.ensureKeys(h.teamId, ["google-brand"]);
    const addAlias = (userId: string, name: string, campaignKey: string) =>
      h.send(
        viewSubmission({
          callbackId: VIEWS.campaignAlias,
          userId,
          teamId: h.teamId,
          values: {
            [INPUTS.aliasName]: { [INPUTS.aliasName]: textInput(name) },
            [INPUTS.aliasCampaignKey]: { [INPUTS.aliasCampaignKey]: textInput(campaignKey) },
          },
        }),
      );
    const aliases = () => h.deps.repos.campaignAliases.list(h.teamId);
    const homeButton = (actionId: string, userId: string, value?: string) =>
      h.send(
        blockAction({
          actionId,
          userId,
          teamId: h.teamId,
          container: "view",
          viewType: "home",
          ...(value !== undefined ? { value } : {}),
        }),
      );

    await homeButton(ACTIONS.campaignAliasAdd, ADMIN);
    const modal = await h.fake.openedView(VIEWS.campaignAlias);
    expectWithinSlackLimits(modal.params.view as never);
    expect(JSON.stringify(modal.params.view)).toContain("One of: google-brand");

    expect((await addAlias(ADMIN, "Brand | Exact | US", "gogle-brand")).json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.aliasCampaignKey]: "No campaign has the key gogle-brand." },
    });
    expect(JSON.stringify((await addAlias("U0NOBODY01", "Brand", "google-brand")).json)).toContain(
      "Only Leadfit admins",
    );
    expect(await aliases()).toEqual([]);

    await addAlias(ADMIN, "Brand | Exact | US", "google-brand");
    expect(await aliases()).toEqual([{ name: "Brand | Exact | US", campaignKey: "google-brand" }]);
    const listed = await h.fake.waitFor("views.publish", (c) =>
      JSON.stringify(c.params.view).includes("Brand | Exact | US → `google-brand`"),
    );
    expectWithinSlackLimits(listed.params.view as never);

    await homeButton(ACTIONS.campaignAliasRemove, "U0NOBODY01", "Brand | Exact | US");
    await openedAdminRefusal(h);
    expect(await aliases()).toHaveLength(1);
    const published = h.fake.calls("views.publish").length;
    await homeButton(ACTIONS.campaignAliasRemove, ADMIN, "Brand | Exact | US");
    await h.fake.waitFor("views.publish", () => h.fake.calls("views.publish").length > published);
    expect(await aliases()).toEqual([]);
    const audit = await h.deps.db.prisma.auditEntry.findMany({
      where: { workspaceId: h.teamId, action: { startsWith: "campaign_alias." } },
      select: { actor: true, action: true },
      orderBy: { createdAt: "asc" },
    });
    expect(audit).toEqual([
      { actor: ADMIN, action: "campaign_alias.added" },
      { actor: ADMIN, action: "campaign_alias.removed" },
    ]);
  });

  it("shows admins their keys and the webhook's deliveries on App Home", async () => {
    await h.send(appHomeOpened({ teamId: h.teamId, userId: ADMIN }));
    const publish = await h.fake.waitFor("views.publish", (c) =>
      JSON.stringify(c.params.view).includes("93.184.216.34"),
    );
    const view = JSON.stringify(publish.params.view);
    expect(view).toContain("HubSpot sync");
    expect(view).toContain(ACTIONS.homeRevokeApiKey);
    expectWithinSlackLimits(publish.params.view as never);
  });
});
