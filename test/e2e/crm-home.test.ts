import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../fakes/fake-salesforce.ts";
import { ADMIN, type AppHarness, openedAdminRefusal, startApp } from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import {
  appHomeOpened,
  blockAction,
  numberInput,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

const HUBSPOT_TOKEN = "pat-na1-home-secret";
const NOBODY = "U0NOBODY01";

describe("connecting a CRM from App Home", () => {
  let h: AppHarness;
  let hubspot: FakeHubSpot;
  let salesforce: FakeSalesforce;
  beforeAll(async () => {
    hubspot = await startFakeHubSpot({ portalId: 7788, tokens: [HUBSPOT_TOKEN] });
    hubspot.upsertContact("501", { email: "ada@northwind.io", firstname: "Ada" });
    salesforce = await startFakeSalesforce({ accessToken: "sf-access" });
    salesforce.upsert("Organization", { Id: "00Dhome", Name: "Northwind Org" });
    h = await startApp({
      LEADFIT_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
      HUBSPOT_API_URL: hubspot.url,
      SALESFORCE_LOGIN_URL: salesforce.url,
    });
    // The CRM clients load on the first check; loaded here, a busy machine does not spend the
    // check's two seconds (after which the form shows "Checking…") loading them.
    await import("../../src/outbound/crm/clients.ts");
  });
  afterAll(async () => {
    await h.close();
    await hubspot.close();
    await salesforce.close();
  });

  const homeButton = (actionId: string, userId = ADMIN) =>
    h.send(
      blockAction({ actionId, userId, teamId: h.teamId, container: "view", viewType: "home" }),
    );
  const connectHubSpot = (token: string, userId = ADMIN, viewId?: string) =>
    h.send(
      viewSubmission({
        callbackId: VIEWS.crmConnect,
        privateMetadata: "hubspot",
        userId,
        teamId: h.teamId,
        ...(viewId ? { viewId } : {}),
        values: {
          [INPUTS.crmToken]: { [INPUTS.crmToken]: textInput(token) },
          [INPUTS.crmBackfillDays]: { [INPUTS.crmBackfillDays]: numberInput(30) },
        },
      }),
    );
  const connection = () => h.deps.repos.crmConnections.get(h.teamId);
  const published = () => h.fake.calls("views.publish").length;
  const audit = (action: string) =>
    h.deps.db.prisma.auditEntry.findMany({
      where: { workspaceId: h.teamId, action },
      select: { actor: true },
    });

  it("offers admins Connect HubSpot and Connect Salesforce, and opens the token form", async () => {
    await h.send(appHomeOpened({ teamId: h.teamId, userId: ADMIN }));
    const home = await h.fake.waitFor("views.publish", (c) =>
      JSON.stringify(c.params.view).includes(ACTIONS.crmConnectHubSpot),
    );
    expect(JSON.stringify(home.params.view)).toContain(ACTIONS.crmConnectSalesforce);

    await homeButton(ACTIONS.crmConnectSalesforce);
    const form = await h.fake.openedView(VIEWS.crmConnect);
    expectWithinSlackLimits(form.params.view as never);
    expect(form.params.view).toMatchObject({ private_metadata: "salesforce" });
    expect(JSON.stringify(form.params.view)).toContain(INPUTS.crmInstanceUrl);

    await homeButton(ACTIONS.crmConnectHubSpot, NOBODY);
    await openedAdminRefusal(h);
  });

  it("says beside the token field that HubSpot refused it, and refuses a non-admin; nothing is stored", async () => {
    expect((await connectHubSpot("pat-na1-wrong")).json).toEqual({
      response_action: "errors",
      errors: {
        [INPUTS.crmToken]: expect.stringContaining("HubSpot refused Leadfit's credentials"),
      },
    });
    const refused = await connectHubSpot(HUBSPOT_TOKEN, NOBODY);
    expect(JSON.stringify(refused.json)).toContain("Only Leadfit admins");
    expect(await connection()).toBeUndefined();
  });

  it("connects HubSpot, shows it on App Home with Sync now and Disconnect, syncs now, and disconnects after the confirm", async () => {
    const before = published();
    const response = await connectHubSpot(HUBSPOT_TOKEN);
    expect(response.json).toMatchObject({ response_action: "update" });
    expect(JSON.stringify(response.json)).toContain("Connected to HubSpot (portal 7788)");
    expect(JSON.stringify(response.json)).not.toContain(HUBSPOT_TOKEN);
    expect(await connection()).toMatchObject({
      kind: "hubspot",
      backfillDays: 30,
      connectedBy: ADMIN,
    });
    expect(await audit("crm.connected")).toEqual([{ actor: ADMIN }]);
    const home = await h.fake.waitFor(
      "views.publish",
      (c) => published() > before && JSON.stringify(c.params.view).includes(ACTIONS.crmSyncNow),
    );
    const shown = JSON.stringify(home.params.view);
    expect(shown).toContain("*CRM: HubSpot* (portal 7788)");
    expect(shown).toContain(ACTIONS.crmDisconnect);
    expect(shown).not.toContain(ACTIONS.crmConnectHubSpot);
    expectWithinSlackLimits(home.params.view as never);

    await homeButton(ACTIONS.crmSyncNow);
    const synced = await h.fake.waitFor("views.update", (c) =>
      JSON.stringify(c.params.view).includes("Leads: 1 created"),
    );
    expectWithinSlackLimits(synced.params.view as never);
    expect(await h.deps.repos.leads.findByExternalId(h.teamId, "501")).toMatchObject({
      email: "ada@northwind.io",
    });

    await homeButton(ACTIONS.crmDisconnect, NOBODY);
    await openedAdminRefusal(h);
    expect(await connection()).toBeDefined();
    const beforeDisconnect = published();
    await homeButton(ACTIONS.crmDisconnect);
    await h.fake.waitFor(
      "views.publish",
      (c) =>
        published() > beforeDisconnect &&
        JSON.stringify(c.params.view).includes(ACTIONS.crmConnectHubSpot),
    );
    expect(await connection()).toBeUndefined();
    expect(await audit("crm.disconnected")).toEqual([{ actor: ADMIN }]);
  });

  it("answers Slack in time when HubSpot is slow: a notice that it is checking, then the answer in its place", async () => {
    // Two 503s: the client's backoff (1 s, then 2 s) outlasts what Slack waits for an answer.
    hubspot.failNext("/account-info", { status: 503, times: 2 });
    const response = await connectHubSpot(HUBSPOT_TOKEN, ADMIN, "V0SLOWCHECK");
    expect(JSON.stringify(response.json)).toContain("Checking the credentials with HubSpot");
    const answered = await h.fake.waitFor(
      "views.update",
      (c) => c.params.view_id === "V0SLOWCHECK",
      10_000,
    );
    expect(JSON.stringify(answered.params.view)).toContain("Connected to HubSpot (portal 7788)");
    expect(await connection()).toMatchObject({ kind: "hubspot" });
  });

  it("connects Salesforce with the CLI's token form, and names a wrong instance URL beside its field", async () => {
    const connectSalesforce = (instanceUrl: string) =>
      h.send(
        viewSubmission({
          callbackId: VIEWS.crmConnect,
          privateMetadata: "salesforce",
          userId: ADMIN,
          teamId: h.teamId,
          values: {
            [INPUTS.crmInstanceUrl]: {
              [INPUTS.crmInstanceUrl]: { type: "url_text_input", value: instanceUrl },
            },
            [INPUTS.crmToken]: { [INPUTS.crmToken]: textInput("sf-access") },
            [INPUTS.crmRefreshToken]: { [INPUTS.crmRefreshToken]: textInput(null) },
            [INPUTS.crmBackfillDays]: { [INPUTS.crmBackfillDays]: numberInput(90) },
          },
        }),
      );
    expect((await connectSalesforce("not a url")).json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.crmInstanceUrl]: expect.stringContaining("instanceUrl") },
    });
    const response = await connectSalesforce(salesforce.url);
    expect(JSON.stringify(response.json)).toContain("Connected to Salesforce (Northwind Org)");
    expect(await connection()).toMatchObject({ kind: "salesforce", account: "Northwind Org" });
  });
});
