import type { Button, ModalView, SectionBlock } from "@slack/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PUBLIC_URL } from "../../src/domain/crm-oauth-state.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import { ADMIN, type AppHarness, openedAdminRefusal, startApp } from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import {
  appHomeOpened,
  blockAction,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

const HUBSPOT_APP = { clientId: "hs-home-client", clientSecret: "hs-home-secret" };
const NOBODY = "U0NOBODY02";

describe("authorizing a CRM with OAuth from App Home", () => {
  let h: AppHarness;
  let hubspot: FakeHubSpot;
  beforeAll(async () => {
    hubspot = await startFakeHubSpot({ portalId: 9911, tokens: [], app: HUBSPOT_APP });
    // Salesforce's connected app is left unset: App Home says what to set for it.
    h = await startApp({
      LEADFIT_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
      HUBSPOT_API_URL: hubspot.url,
      HUBSPOT_CLIENT_ID: HUBSPOT_APP.clientId,
      HUBSPOT_CLIENT_SECRET: HUBSPOT_APP.clientSecret,
    });
  });
  afterAll(async () => {
    await h.close();
    await hubspot.close();
  });

  const homeButton = (actionId: string, userId = ADMIN) =>
    h.send(
      blockAction({ actionId, userId, teamId: h.teamId, container: "view", viewType: "home" }),
    );
  const submitAddress = (publicUrl: string | null, userId = ADMIN, kind = "hubspot") =>
    h.send(
      viewSubmission({
        callbackId: VIEWS.crmAuthorize,
        privateMetadata: kind,
        userId,
        teamId: h.teamId,
        values: { [INPUTS.crmPublicUrl]: { [INPUTS.crmPublicUrl]: textInput(publicUrl) } },
      }),
    );
  const addressError = (message: unknown) => ({
    response_action: "errors",
    errors: { [INPUTS.crmPublicUrl]: message },
  });
  const openedForm = (after: number) =>
    h.fake.waitFor(
      "views.open",
      (c) =>
        h.fake.calls("views.open").indexOf(c) >= after &&
        (c.params.view as ModalView).callback_id === VIEWS.crmAuthorize,
    );
  const prefilled = (view: ModalView) =>
    JSON.stringify(view).match(/"initial_value":"([^"]*)"/)?.[1];
  const audit = () =>
    h.deps.db.prisma.auditEntry.findMany({
      where: { workspaceId: h.teamId, action: "crm.authorize_link_made" },
      select: { actor: true, details: true },
    });

  it("offers admins Authorize with HubSpot beside the token form, says what Salesforce needs, and opens the address form", async () => {
    await h.send(appHomeOpened({ teamId: h.teamId, userId: ADMIN }));
    const home = JSON.stringify(
      (
        await h.fake.waitFor("views.publish", (c) =>
          JSON.stringify(c.params.view).includes(ACTIONS.crmConnectHubSpot),
        )
      ).params.view,
    );
    expect(home).toContain(ACTIONS.crmAuthorizeHubSpot);
    expect(home).not.toContain(ACTIONS.crmAuthorizeSalesforce);
    expect(home).toContain("set `SALESFORCE_CLIENT_ID` and `SALESFORCE_CLIENT_SECRET`");

    const before = h.fake.calls("views.open").length;
    await homeButton(ACTIONS.crmAuthorizeHubSpot);
    const form = (await openedForm(before)).params.view as ModalView;
    expectWithinSlackLimits(form);
    expect(form.private_metadata).toBe("hubspot");
    // Nothing given yet in this workspace: the HTTP server on this machine, as the CLI's default.
    expect(prefilled(form)).toBe(`http://localhost:${h.deps.config.port}`);

    await homeButton(ACTIONS.crmAuthorizeHubSpot, NOBODY);
    await openedAdminRefusal(h);
  });

  it("says beside the address what is wrong with it, or that only admins may, and keeps nothing", async () => {
    expect((await submitAddress("ftp://leadfit.example.com")).json).toEqual(
      addressError(expect.stringContaining("must be Leadfit's http(s) address")),
    );
    expect((await submitAddress("leadfit.example.com")).json).toEqual(
      addressError(expect.stringContaining("such as https://leadfit.example.com")),
    );
    expect((await submitAddress(null)).json).toEqual(
      addressError("Give Leadfit's public address."),
    );
    expect(
      (await submitAddress(`https://leadfit.example.com/${"a".repeat(MAX_PUBLIC_URL)}`)).json,
    ).toEqual(addressError(expect.stringContaining(`at most ${MAX_PUBLIC_URL} characters`)));
    expect((await submitAddress("https://leadfit.example.com", NOBODY)).json).toEqual(
      addressError(expect.stringContaining("Only Leadfit admins")),
    );
    expect((await submitAddress("https://leadfit.example.com", ADMIN, "pipedrive")).json).toEqual(
      addressError("Open the form again from App Home."),
    );
    expect((await submitAddress("https://leadfit.example.com", ADMIN, "salesforce")).json).toEqual(
      addressError(expect.stringContaining("Set SALESFORCE_CLIENT_ID")),
    );
    expect(await h.deps.repos.workspaces.publicUrl(h.teamId)).toBeNull();
    expect(await audit()).toEqual([]);
  });

  it("shows the redirect URL and a link to HubSpot, keeps the address, and the link connects the workspace, App Home shown again", async () => {
    const response = await submitAddress(`${h.baseUrl}/`);
    const answer = response.json as { response_action: string; view: ModalView };
    expect(answer.response_action).toBe("update");
    expectWithinSlackLimits(answer.view);
    const [register, open] = answer.view.blocks as SectionBlock[];
    expect(register?.text?.text).toContain(`\`${h.baseUrl}/crm/hubspot/oauth/callback\``);
    expect(open?.text?.text).toContain("expires in 10 minutes");
    const link = open?.accessory as Button;
    expect(link.action_id).toBe(ACTIONS.crmAuthorizeOpen);
    const url = new URL(link.url ?? "");
    expect(`${url.origin}${url.pathname}`).toBe("https://app.hubspot.com/oauth/authorize");
    expect(url.searchParams.get("redirect_uri")).toBe(`${h.baseUrl}/crm/hubspot/oauth/callback`);

    expect(await h.deps.repos.workspaces.publicUrl(h.teamId)).toBe(h.baseUrl);
    expect(await audit()).toEqual([
      { actor: ADMIN, details: { crm: "hubspot", publicUrl: h.baseUrl } },
    ]);
    const before = h.fake.calls("views.open").length;
    await homeButton(ACTIONS.crmAuthorizeHubSpot);
    expect(prefilled((await openedForm(before)).params.view as ModalView)).toBe(h.baseUrl);

    // Slack tells the app about a click on a link button too: it is answered, nothing else.
    const clicked = await h.send(
      blockAction({
        actionId: ACTIONS.crmAuthorizeOpen,
        userId: ADMIN,
        teamId: h.teamId,
        container: "view",
        viewType: "modal",
      }),
    );
    expect(clicked.status).toBe(200);

    const published = h.fake.calls("views.publish").length;
    const callback = await fetch(hubspot.approve(url.toString()));
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain("portal 9911");
    expect(await h.deps.repos.crmConnections.get(h.teamId)).toMatchObject({
      kind: "hubspot",
      connectedBy: ADMIN,
    });
    const home = await h.fake.waitFor(
      "views.publish",
      (c) => h.fake.calls("views.publish").indexOf(c) >= published && c.params.user_id === ADMIN,
    );
    const shown = JSON.stringify(home.params.view);
    expect(shown).toContain("*CRM: HubSpot* (portal 9911)");
    expect(shown).toContain(ACTIONS.crmSyncNow);
  });
});
