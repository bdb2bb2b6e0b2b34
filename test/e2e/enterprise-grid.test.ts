import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACTIONS, INPUTS, SHORTCUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import {
  type AppHarness,
  clickOnCard,
  installAsBrowser,
  seedLead,
  startApp,
  TRANSPORTS,
} from "../support/app-harness.ts";
import {
  messageShortcut,
  orgWide,
  slashCommand,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

// Slack's documented payloads for an app installed org-wide on Enterprise Grid: interactions carry
// `team: null`, the enterprise, and the user's `team_id` set to the enterprise id; a slash command
// keeps the workspace's `team_id` and adds `enterprise_id`.

const ENTERPRISE = { id: "E0STARSHIP1", name: "Starship" };
const ORG_ADMIN = "W0ORGADMIN1";
const SELLER = "W0SELLER001";
const SALES_CHANNEL = "C0SALES001";
const UNKNOWN_CHANNEL = "C0ELSEWHERE";

async function installOrgWide(h: AppHarness): Promise<void> {
  h.fake.respond("oauth.v2.access", async (_params, _call, fallback) => ({
    ...(await fallback()),
    team: null,
    enterprise: ENTERPRISE,
    is_enterprise_install: true,
    authed_user: { id: ORG_ADMIN },
  }));
  expect((await installAsBrowser(h)).status).toBe(200);
}

// Enterprise Grid payloads resolve to the workspace they are for.
describe.each(TRANSPORTS)("security #8: Enterprise Grid payloads over %s", (transport) => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp(
      {
        SLACK_BOT_TOKEN: "",
        SLACK_CLIENT_ID: "1234.5678",
        SLACK_CLIENT_SECRET: "client-secret",
        SLACK_STATE_SECRET: "a-long-random-state-secret",
      },
      { transport },
    );
    await installOrgWide(h);
  });
  beforeEach(() => {
    h.fake.reset();
    // The unknown channel is one Slack will not describe to the app.
    h.fake.respond("conversations.info", async (params, _call, fallback) =>
      params.channel === UNKNOWN_CHANNEL ? { ok: false, error: "channel_not_found" } : fallback(),
    );
  });
  afterAll(() => h.close());

  /** A ✅ Good fit click, sent org-wide, on the card of a new lead posted in `channelId`. */
  const clickFitOnCard = async (channelId: string, ts: string) => {
    const lead = await seedLead(h, { card: { channelId, ts } });
    const response = await h.send(
      orgWide(clickOnCard(h, lead, { actionId: ACTIONS.verdictFit, userId: SELLER }), ENTERPRISE),
    );
    return { lead, response };
  };
  /** The message shortcut "Add context", sent org-wide, on a message posted in `channelId`. */
  const addContextToMessage = (channelId: string, messageTs: string, messageText: string) =>
    h.send(
      orgWide(
        messageShortcut({
          callbackId: SHORTCUTS.addContextNote,
          userId: SELLER,
          teamId: h.teamId,
          channelId,
          messageTs,
          messageText,
          responseUrl: h.fake.responseUrl(),
        }),
        ENTERPRISE,
      ),
    );
  const enterpriseWorkspaces = () =>
    h.deps.db.prisma.workspace.count({ where: { id: { startsWith: "E" } } });

  it("stores a one-click verdict under the workspace of the card's channel", async () => {
    const { lead, response } = await clickFitOnCard(SALES_CHANNEL, "1700000101.000100");
    expect(response.status).toBe(200);
    const feedback = await h.deps.db.prisma.leadFeedback.findMany({ where: { leadId: lead.id } });
    expect(feedback.map((f) => [f.verdict, f.userId])).toEqual([["fit", SELLER]]);
    expect(h.fake.calls("response_url")).toEqual([]);
    expect(await enterpriseWorkspaces()).toBe(0);
  });

  it("stores a note from the message shortcut and its modal under the workspace it was made in", async () => {
    // Its own text: other files store notes in the same database meanwhile.
    const text = `Webinar moved to Thursday ${Date.now()}`;
    const response = await addContextToMessage(SALES_CHANNEL, "1700000102.000100", text);
    expect(response.status).toBe(200);
    const open = await h.fake.openedView(VIEWS.contextNote);
    const submit = await h.send(
      orgWide(
        viewSubmission({
          callbackId: VIEWS.contextNote,
          userId: SELLER,
          teamId: h.teamId,
          privateMetadata: (open.params.view as { private_metadata: string }).private_metadata,
          values: { [INPUTS.text]: { [INPUTS.text]: textInput(text) } },
        }),
        ENTERPRISE,
      ),
    );
    expect(submit.status).toBe(200);
    const notes = await h.deps.db.prisma.contextNote.findMany({
      where: { text },
      select: { workspaceId: true },
    });
    expect(notes).toEqual([{ workspaceId: h.teamId }]);
    expect(await enterpriseWorkspaces()).toBe(0);
  });

  it("stores a note from /leadfit under the command's workspace", async () => {
    const response = await h.send(
      orgWide(
        slashCommand({
          text: `note Trade show week (${transport})`,
          userId: SELLER,
          channelId: SALES_CHANNEL,
          teamId: h.teamId,
        }),
        ENTERPRISE,
      ),
    );
    expect(response.status).toBe(200);
    const notes = await h.deps.db.prisma.contextNote.findMany({
      where: { text: `Trade show week (${transport})` },
      select: { workspaceId: true },
    });
    expect(notes).toEqual([{ workspaceId: h.teamId }]);
  });

  it("refuses a click whose workspace cannot be told, says so, and creates nothing", async () => {
    const { lead, response } = await clickFitOnCard(UNKNOWN_CHANNEL, "1700000103.000100");
    expect(response.status).toBe(200);
    const told = await h.fake.waitFor("response_url");
    expect(told.params).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("could not tell which Slack workspace"),
    });
    expect(await h.deps.db.prisma.leadFeedback.count({ where: { leadId: lead.id } })).toBe(0);
    expect(await enterpriseWorkspaces()).toBe(0);
  });

  it("refuses a message shortcut whose workspace cannot be told, says so, and creates nothing", async () => {
    const response = await addContextToMessage(
      UNKNOWN_CHANNEL,
      "1700000104.000100",
      "Somewhere else",
    );
    expect(response.status).toBe(200);
    const told = await h.fake.waitFor("response_url");
    expect(String(told.params.text)).toContain("could not tell which Slack workspace");
    expect(h.fake.calls("views.open")).toEqual([]);
    expect(await enterpriseWorkspaces()).toBe(0);
  });
});
