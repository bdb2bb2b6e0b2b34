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
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import {
  blockAction,
  multiSelect,
  radio,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

const REP = "U0REP00001";
const SALES_CHANNEL = "C0SALES001";

describe.each(TRANSPORTS)("verdicts end to end over %s", (transport) => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp({}, { transport });
  });
  afterAll(() => h.close());

  const submitFeedback = (
    leadId: string,
    verdict: string,
    reasons: string[],
    note: string | null,
  ) =>
    h.send(
      viewSubmission({
        callbackId: VIEWS.feedback,
        userId: REP,
        teamId: h.teamId,
        privateMetadata: JSON.stringify({ leadId }),
        values: {
          [INPUTS.verdict]: { [INPUTS.verdict]: radio(verdict) },
          [INPUTS.reasons]: { [INPUTS.reasons]: multiSelect(reasons) },
          [INPUTS.note]: { [INPUTS.note]: textInput(note) },
        },
      }),
    );
  const feedbackCount = async (leadId: string) =>
    h.deps.db.prisma.leadFeedback.count({ where: { leadId } });
  const queuedCardUpdates = (leadId: string) =>
    h.deps.db.prisma.cardOutbox.count({ where: { leadId, kind: "card_update" } });
  const drainCardOutbox = () => new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
  const cardUpdates = (ts: string) => h.fake.calls("chat.update").filter((c) => c.params.ts === ts);

  it.each([
    [ACTIONS.verdictFit, "fit", "1700000000.000111"],
    [ACTIONS.verdictNotYet, "not_yet", "1700000000.000112"],
  ])(
    "%s stores the verdict and its card update before Slack gets its 200; the outbox updates the card in place",
    async (actionId, verdict, ts) => {
      const lead = await seedLead(h, { card: { channelId: SALES_CHANNEL, ts } });
      const response = await h.send(clickOnCard(h, lead, { actionId, userId: REP }));
      expect(response.status).toBe(200);
      // Stored before the acknowledgement: the verdict and its card update are there the moment
      // the 200 arrives, and Slack has not been asked for anything yet.
      const stored = await h.deps.repos.feedback.current(h.teamId, lead.id);
      expect(stored).toMatchObject({ verdict, userId: REP, reasons: [] });
      expect(await queuedCardUpdates(lead.id)).toBe(1);
      expect(cardUpdates(ts)).toHaveLength(0);
      // No webhook is set here, so no event is queued for one.
      expect(await h.deps.db.prisma.webhookDelivery.count({ where: { leadId: lead.id } })).toBe(0);

      await drainCardOutbox();
      const [update, ...more] = cardUpdates(ts);
      expect(more).toHaveLength(0);
      if (!update) throw new Error("the card was not updated");
      expect(update.params.channel).toBe(SALES_CHANNEL);
      const blocks = update.params.blocks as {
        type: string;
        elements?: { action_id?: string }[];
      }[];
      expect(JSON.stringify(blocks)).toContain(`<@${REP}>`);
      expect(JSON.stringify(blocks)).toContain(ACTIONS.verdictChange);
      expect(JSON.stringify(blocks)).not.toContain(ACTIONS.verdictFit);
      expectWithinSlackLimits({ text: String(update.params.text), blocks });
    },
  );

  it("❌ Not a fit opens the modal with reasons instead of recording anything", async () => {
    const lead = await seedLead(h, { card: { channelId: SALES_CHANNEL, ts: "1700000000.000222" } });
    const response = await h.send(
      blockAction({
        actionId: ACTIONS.verdictNotFit,
        value: lead.id,
        userId: REP,
        teamId: h.teamId,
        channelId: SALES_CHANNEL,
        messageTs: "1700000000.000222",
      }),
    );
    expect(response.status).toBe(200);
    const open = await h.fake.waitFor("views.open", (c) =>
      JSON.stringify(c.params.view).includes(lead.id),
    );
    const view = open.params.view as { callback_id: string; blocks: { block_id?: string }[] };
    expect(view.callback_id).toBe(VIEWS.feedback);
    expect(view.blocks.map((b) => b.block_id)).toEqual(
      expect.arrayContaining([INPUTS.verdict, INPUTS.reasons, INPUTS.note]),
    );
    expect(JSON.stringify(view)).toContain('"value":"not_fit"');
    expectWithinSlackLimits(view as never);
    expect(await feedbackCount(lead.id)).toBe(0);
  });

  it("Not a fit without a reason comes back inline and writes nothing", async () => {
    const lead = await seedLead(h, { card: { channelId: SALES_CHANNEL, ts: "1700000000.000333" } });
    const response = await submitFeedback(lead.id, "not_fit", [], null);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.reasons]: expect.stringContaining("at least one reason") },
    });
    expect(await feedbackCount(lead.id)).toBe(0);
  });

  it("a valid submission stores the verdict with its reasons and note, and updates the card", async () => {
    const lead = await seedLead(h, { card: { channelId: SALES_CHANNEL, ts: "1700000000.000444" } });
    const response = await submitFeedback(
      lead.id,
      "not_fit",
      ["wrong_role", "no_budget"],
      "Intern, <b>no</b> budget 🙃",
    );
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    expect(await h.deps.repos.feedback.current(h.teamId, lead.id)).toMatchObject({
      verdict: "not_fit",
      reasons: ["wrong_role", "no_budget"],
      note: "Intern, <b>no</b> budget 🙃",
      definitionStatus: "unknown",
    });
    await drainCardOutbox();
    const [update] = cardUpdates("1700000000.000444");
    const text = JSON.stringify(update?.params.blocks);
    expect(text).toContain("Wrong role or seniority");
    expect(text).toContain("&lt;b&gt;no&lt;/b&gt;");
  });

  it("an unknown reason is refused inline", async () => {
    const lead = await seedLead(h);
    const response = await submitFeedback(lead.id, "not_fit", ["made_up"], null);
    expect(response.json).toMatchObject({
      response_action: "errors",
      errors: { [INPUTS.reasons]: expect.stringContaining("made_up") },
    });
    expect(await feedbackCount(lead.id)).toBe(0);
  });

  it("two people clicking at once both succeed and the card shows the newest verdict", async () => {
    const lead = await seedLead(h, { card: { channelId: SALES_CHANNEL, ts: "1700000000.000555" } });
    const click = (actionId: string, userId: string) =>
      h.send(clickOnCard(h, lead, { actionId, userId }));
    const [a, b] = await Promise.all([
      click(ACTIONS.verdictFit, "U0REPA0001"),
      click(ACTIONS.verdictNotYet, "U0REPB0001"),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const history = await h.deps.repos.feedback.history(h.teamId, lead.id);
    expect(history).toHaveLength(2);
    const newest = history.at(-1);
    expect(await queuedCardUpdates(lead.id)).toBe(2);
    await drainCardOutbox();
    const updates = cardUpdates("1700000000.000555");
    expect(updates).toHaveLength(2);
    expect(JSON.stringify(updates.at(-1)?.params.blocks)).toContain(`<@${newest?.userId}>`);
  });

  it("a button carrying a lead of another workspace changes nothing", async () => {
    const response = await h.send(
      blockAction({
        actionId: ACTIONS.verdictFit,
        value: "00000000-0000-4000-8000-000000000000",
        userId: REP,
        teamId: h.teamId,
        channelId: SALES_CHANNEL,
        messageTs: "1700000000.000666",
        responseUrl: h.fake.responseUrl(),
      }),
    );
    expect(response.status).toBe(200);
    const told = await h.fake.waitFor("response_url", (c) =>
      String(c.params.text).includes("no longer exists"),
    );
    expect(told.params.replace_original).toBe(false);
  });

  it("a click on App Home for a lead that is gone shows the home again, without it", async () => {
    h.fake.reset();
    const response = await h.send(
      blockAction({
        actionId: ACTIONS.verdictNotYet,
        value: "00000000-0000-4000-8000-000000000001",
        userId: REP,
        teamId: h.teamId,
        container: "view",
        viewType: "home",
      }),
    );
    expect(response.status).toBe(200);
    const home = await h.fake.waitFor("views.publish", (c) => c.params.user_id === REP);
    expect(JSON.stringify(home.params.view)).not.toContain("00000000-0000-4000-8000-000000000001");
  });

  it("a verdict clicked on App Home is kept when Slack refuses the home that follows: logged, not shown as the click's failure", async () => {
    const lead = await seedLead(h);
    h.fake.reset();
    h.fake.failNext("views.publish", { body: { ok: false, error: "not_authed" } });
    const logged = h.logs.length;
    const response = await h.send(
      blockAction({
        actionId: ACTIONS.verdictFit,
        value: lead.id,
        userId: REP,
        teamId: h.teamId,
        container: "view",
        viewType: "home",
      }),
    );
    expect(response.status).toBe(200);
    await expect.poll(() => h.logs.slice(logged).join("\n")).toContain("App Home after a verdict");
    expect(await feedbackCount(lead.id)).toBe(1);
    expect(h.fake.calls("views.publish")).toHaveLength(1);
  });
});
