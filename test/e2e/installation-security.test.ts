import type { Installation } from "@slack/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import {
  type AppHarness,
  installAsBrowser,
  openedAdminRefusal,
  startApp,
} from "../support/app-harness.ts";
import {
  blockAction,
  eventCallback,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

const INSTALLER = "U0INSTALL01";
const MEMBER = "U0MEMBER001";
const OAUTH_ENV = {
  SLACK_BOT_TOKEN: "",
  SLACK_CLIENT_ID: "1234.5678",
  SLACK_CLIENT_SECRET: "client-secret",
  SLACK_STATE_SECRET: "a-long-random-state-secret",
};

/** The whole OAuth flow, as a browser goes through it, with Slack naming `userId` the installer. */
async function installThroughOAuth(h: AppHarness, userId: string, botToken: string) {
  h.fake.respond("oauth.v2.access", async (_params, _call, fallback) => ({
    ...(await fallback()),
    authed_user: { id: userId },
    access_token: botToken,
  }));
  expect((await installAsBrowser(h)).status).toBe(200);
}

function saveWebhook(h: AppHarness, userId: string, url: string) {
  return h.send(
    viewSubmission({
      callbackId: VIEWS.webhook,
      userId,
      teamId: h.teamId,
      values: { [INPUTS.webhookUrl]: { [INPUTS.webhookUrl]: textInput(url) } },
    }),
  );
}

describe("security #1: a re-install moves no admin rights", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp(OAUTH_ENV);
  });
  afterAll(() => h.close());

  it("a member who re-runs the OAuth flow refreshes the bot token but gets no admin rights, and the installer keeps them", async () => {
    await installThroughOAuth(h, INSTALLER, "xoxb-first-install");
    await installThroughOAuth(h, MEMBER, "xoxb-reinstalled");

    const installation = await h.deps.repos.installations.forWorkspace(h.teamId);
    expect((installation as Installation).bot?.token).toBe("xoxb-reinstalled");
    const workspace = await h.workspace();
    expect(workspace.installedBy).toBe(INSTALLER);
    expect(await h.deps.admins.isAdmin(workspace, MEMBER)).toBe(false);
    expect(await h.deps.admins.isAdmin(workspace, INSTALLER)).toBe(true);
    const audit = await h.deps.db.prisma.auditEntry.findMany({
      where: { workspaceId: h.teamId, action: { startsWith: "app." } },
      orderBy: { createdAt: "asc" },
      select: { actor: true, action: true },
    });
    expect(audit).toEqual([
      { actor: INSTALLER, action: "app.installed" },
      { actor: MEMBER, action: "app.reinstalled" },
    ]);

    // Through Slack: the member is refused the settings and the webhook, the installer is not.
    h.fake.reset();
    await h.send(
      blockAction({
        actionId: ACTIONS.homeOpenSettings,
        userId: MEMBER,
        teamId: h.teamId,
        container: "view",
        viewType: "home",
      }),
    );
    await openedAdminRefusal(h);
    const byMember = await saveWebhook(h, MEMBER, "https://93.184.216.34/member");
    expect(JSON.stringify(byMember.json)).toContain("Only Leadfit admins");
    expect((await h.workspace()).webhook).toBeNull();

    const byInstaller = await saveWebhook(h, INSTALLER, "https://93.184.216.34/installer");
    expect(byInstaller.status).toBe(200);
    expect((await h.workspace()).webhook?.url).toBe("https://93.184.216.34/installer");
  });
});

describe("security #10: tokens_revoked deactivates only when the bot token goes", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp(OAUTH_ENV);
    await installThroughOAuth(h, INSTALLER, "xoxb-installed");
  });
  afterAll(() => h.close());

  const tokensRevoked = (tokens: { oauth?: readonly string[]; bot?: readonly string[] }) =>
    h.send(
      eventCallback({
        teamId: h.teamId,
        event: { type: "tokens_revoked", tokens, event_ts: "1700000020.000100" },
      }),
    );

  it("revoking only users' tokens leaves the workspace active and its installation in place", async () => {
    for (const [handled, tokens] of [
      [1, { oauth: [MEMBER] }],
      [2, { oauth: [MEMBER, INSTALLER], bot: [] }],
    ] as const) {
      const response = await tokensRevoked(tokens);
      expect(response.status).toBe(200);
      // Events are acknowledged before they are handled: wait for the handler's log line.
      await expect
        .poll(() => h.logs.filter((line) => line.includes("tokens_revoked")).length)
        .toBe(handled);
    }
    expect((await h.workspace()).active).toBe(true);
    expect(await h.deps.repos.installations.forWorkspace(h.teamId)).toBeDefined();
  });

  it("revoking the bot token deactivates the workspace and forgets its installation", async () => {
    const response = await tokensRevoked({ bot: [h.fake.botUserId] });
    expect(response.status).toBe(200);
    await expect.poll(async () => (await h.workspace()).active).toBe(false);
    expect(await h.deps.repos.installations.forWorkspace(h.teamId)).toBeUndefined();
  });
});
