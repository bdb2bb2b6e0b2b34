import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { CardOutbox } from "../../src/services/post-lead-cards.ts";
import {
  type AppHarness,
  clickOnCard,
  seedLead,
  startApp,
  TRANSPORTS,
} from "../support/app-harness.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import {
  appHomeOpened,
  multiSelect,
  radio,
  type SlackRequest,
  slashCommand,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

const REP = "U0REP00007";
const SALES_CHANNEL = "C0SALES007";
const RETRY = { "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout" };

describe.each(TRANSPORTS)("security #7: a Slack request twice, one effect (%s)", (transport) => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp({}, { transport });
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { webhookUrl: "https://crm.example/leadfit", webhookSecret: "webhook-secret-7" },
    });
  });
  afterAll(() => h.close());

  /** Sends a request, then the very same bytes again: same body, timestamp and signature. */
  const sendTwice = async (request: SlackRequest, again: Record<string, string> = {}) => {
    const timestamp = Math.floor(Date.now() / 1000) - 2;
    const first = await h.send(request, { timestamp });
    const second = await h.send(request, { timestamp, headers: again });
    return [first, second];
  };
  const drainCardOutbox = () => new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
  const effectsOn = async (leadId: string) => ({
    verdicts: await h.deps.db.prisma.leadFeedback.count({ where: { leadId } }),
    webhookEvents: await h.deps.db.prisma.webhookDelivery.count({ where: { leadId } }),
    queuedCardUpdates: await h.deps.db.prisma.cardOutbox.count({
      where: { leadId, kind: "card_update" },
    }),
  });
  /**
   * Waits until the repeat of a request acknowledged before its work has been dealt with: the app
   * logged that it left it alone, or it did the work a second time.
   */
  const repeatSettled = async (key: string, doneTwice: () => boolean) => {
    for (let tries = 0; tries < 100; tries += 1) {
      const noticed = h.logs.some(
        (line) => line.includes("repeated Slack request") && line.includes(key),
      );
      if (noticed || doneTwice()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the repeat of ${key} was never dealt with`);
  };
  /** After the request `key` came twice: its one `method` call to Slack, and no second. */
  const expectOneCall = async (
    key: string,
    method: string,
    ofIt: (call: FakeSlackCall) => boolean,
  ) => {
    const calls = () => h.fake.calls(method).filter(ofIt);
    await h.fake.waitFor(method, ofIt);
    await repeatSettled(key, () => calls().length > 1);
    expect(calls()).toHaveLength(1);
  };

  it.each([
    ["a Slack retry (x-slack-retry-num: 1)", RETRY, "1700000007.000101"],
    ["a byte-for-byte replay", {}, "1700000007.000102"],
  ])(
    "a one-click verdict sent again as %s stores one verdict, one webhook event, one card update",
    async (_, again, ts) => {
      const lead = await seedLead(h, { card: { channelId: SALES_CHANNEL, ts } });
      const click = clickOnCard(h, lead, { actionId: ACTIONS.verdictFit, userId: REP });
      const responses = await sendTwice(click, again);
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      expect(await effectsOn(lead.id)).toEqual({
        verdicts: 1,
        webhookEvents: 1,
        queuedCardUpdates: 1,
      });
      await drainCardOutbox();
      expect(h.fake.calls("chat.update").filter((c) => c.params.ts === ts)).toHaveLength(1);
    },
  );

  it("the same click by another person, or another click on the same card, is a verdict of its own", async () => {
    const ts = "1700000007.000103";
    const lead = await seedLead(h, { card: { channelId: SALES_CHANNEL, ts } });
    const click = (userId: string) =>
      h.send(clickOnCard(h, lead, { actionId: ACTIONS.verdictNotYet, userId }));
    await click(REP);
    await click(REP);
    await click("U0REP00008");
    expect((await effectsOn(lead.id)).verdicts).toBe(3);
  });

  it("a feedback modal submitted twice stores one verdict", async () => {
    const lead = await seedLead(h);
    const submission = viewSubmission({
      callbackId: VIEWS.feedback,
      userId: REP,
      teamId: h.teamId,
      privateMetadata: JSON.stringify({ leadId: lead.id }),
      values: {
        [INPUTS.verdict]: { [INPUTS.verdict]: radio("not_fit") },
        [INPUTS.reasons]: { [INPUTS.reasons]: multiSelect(["no_budget"]) },
        [INPUTS.note]: { [INPUTS.note]: textInput("Asked twice") },
      },
    });
    const responses = await sendTwice(submission, RETRY);
    expect(responses.map((r) => [r.status, r.text])).toEqual([
      [200, ""],
      [200, ""],
    ]);
    expect(await effectsOn(lead.id)).toMatchObject({ verdicts: 1, webhookEvents: 1 });
  });

  it("`/leadfit note` sent twice stores one note", async () => {
    const text = `Webinar moved to Thursday ${Date.now()}`;
    const responses = await sendTwice(
      slashCommand({
        text: `note ${text}`,
        userId: REP,
        channelId: SALES_CHANNEL,
        teamId: h.teamId,
      }),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(responses[0]?.text).toContain("Webinar moved to Thursday");
    expect(
      await h.deps.db.prisma.contextNote.count({ where: { workspaceId: h.teamId, text } }),
    ).toBe(1);
  });

  it("a context note modal submitted twice stores one note", async () => {
    const text = `Trade show week ${Date.now()}`;
    await sendTwice(
      viewSubmission({
        callbackId: VIEWS.contextNote,
        userId: REP,
        teamId: h.teamId,
        values: { [INPUTS.text]: { [INPUTS.text]: textInput(text) } },
      }),
    );
    expect(
      await h.deps.db.prisma.contextNote.count({ where: { workspaceId: h.teamId, text } }),
    ).toBe(1);
  });

  it("`/leadfit <email>` sent twice opens one modal", async () => {
    const lead = await seedLead(h, { email: "twice@acme.example" });
    const command = slashCommand({
      text: lead.email,
      userId: REP,
      channelId: SALES_CHANNEL,
      teamId: h.teamId,
      responseUrl: h.fake.responseUrl(),
    });
    const triggerId = new URLSearchParams(command.body).get("trigger_id") ?? "";
    const responses = await sendTwice(command, RETRY);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await expectOneCall(triggerId, "views.open", (c) => c.params.trigger_id === triggerId);
  });

  it("a definition proposal submitted twice stores one proposal", async () => {
    const submission = viewSubmission({
      callbackId: VIEWS.definition,
      userId: REP,
      teamId: h.teamId,
      values: { [INPUTS.rules]: { [INPUTS.rules]: textInput("employees >= 50") } },
    });
    const responses = await sendTwice(submission);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(await h.deps.repos.agreedDefinitions.history(h.teamId)).toHaveLength(1);
  });

  it("an event Slack retries (same event_id, x-slack-retry-num: 1) publishes App Home once", async () => {
    const viewer = "U0HOMEVIEW7";
    const event = appHomeOpened({ teamId: h.teamId, userId: viewer });
    const eventId = (JSON.parse(event.body) as { event_id: string }).event_id;
    const responses = await sendTwice(event, RETRY);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await expectOneCall(eventId, "views.publish", (c) => c.params.user_id === viewer);
  });
});
