import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { transaction } from "../../../src/db/repositories/index.ts";
import type { LeadInput } from "../../../src/domain/ingest-schemas.ts";
import { ACTIONS } from "../../../src/presentation/slack/ids.ts";
import { storeLeads } from "../../../src/services/ingest-leads.ts";
import { CardOutbox } from "../../../src/services/post-lead-cards.ts";
import { type AppHarness, seedLead, startApp } from "../../support/app-harness.ts";
import { uniqueId } from "../../support/database.ts";
import { blockAction } from "../../support/slack-requests.ts";

const SALES = "C0FAULTS";

describe("Slack failing on cue while lead cards are posted", () => {
  let h: AppHarness;
  beforeAll(async () => {
    // Slack calls give up after half a second here, so a slow Slack is a timeout.
    // Short enough for a timed-out post to be quick, long enough that a loaded machine's ordinary
    // answers are not taken for time-outs.
    h = await startApp({}, { slackTimeoutMs: 2_000 });
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { salesChannelId: SALES },
    });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.deps.db.prisma.cardOutbox.deleteMany({ where: { workspaceId: h.teamId } });
    h.fake.reset();
  });

  const newLead = async (): Promise<string> => {
    const id = uniqueId("fault-");
    const lead: LeadInput = {
      externalId: id,
      email: `${id.toLowerCase()}@acme.example`,
      name: `Fault ${id}`,
      company: "Acme",
      title: "CMO",
      campaign: null,
      owner: null,
      createdAt: new Date(),
      fields: {},
    };
    const workspace = await h.workspace();
    const result = await transaction(h.deps.db, (repos) =>
      storeLeads(
        { repos },
        { workspace, definition: undefined, leads: [lead], receivedAt: new Date() },
      ),
    );
    return result.createdIds[0] ?? "";
  };
  const drain = () => new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
  const posted = () => h.fake.messages(SALES);

  it("a post whose answer times out is found in the channel, not posted twice", async () => {
    const leadId = await newLead();
    const lead = await h.deps.repos.leads.get(h.teamId, leadId);
    // The outbox drains every workspace's queue: other files' cards may go out meanwhile.
    const about = (payload: unknown) => JSON.stringify(payload).includes(lead?.name ?? leadId);
    // Slack takes the card but answers after the client has given up (at 500 ms); the look in
    // the channel comes a second later.
    h.fake.failNext("chat.postMessage", { delayMs: 2_200 });
    await drain();
    expect(h.fake.calls("chat.postMessage").filter((c) => about(c.params))).toHaveLength(1);
    const cards = posted().filter(about);
    expect(cards).toHaveLength(1);
    expect((await h.deps.repos.leads.get(h.teamId, leadId))?.card?.ts).toBe(cards[0]?.ts);
  });

  it("a 429 waits for Retry-After and posts once; a 500 is retried until it goes through", async () => {
    const first = await newLead();
    const second = await newLead();
    h.fake.failNext("chat.postMessage", { status: 429, headers: { "Retry-After": "1" } });
    h.fake.failNext("chat.postMessage", { status: 500, times: 2 });
    await drain();
    expect(posted()).toHaveLength(2);
    for (const id of [first, second])
      expect((await h.deps.repos.leads.get(h.teamId, id))?.card?.channelId).toBe(SALES);
  });

  it.each(["channel_not_found", "invalid_auth", "msg_too_long", "invalid_blocks"])(
    "Slack's %s fails the card where admins see why, without retrying or crashing",
    async (error) => {
      await newLead();
      h.fake.failNext("chat.postMessage", { body: { ok: false, error } });
      await drain();
      await drain();
      expect(h.fake.calls("chat.postMessage")).toHaveLength(1);
      expect(posted()).toHaveLength(0);
      expect(await h.deps.repos.outbox.failures(h.teamId, 5)).toEqual([
        expect.objectContaining({ kind: "lead_card", lastError: error }),
      ]);
    },
  );

  it("a card Slack would not update after a verdict is tried again by the outbox, and updated once", async () => {
    const lead = await seedLead(h, { card: { channelId: SALES, ts: "1790000000.000300" } });
    const response = await h.send(
      blockAction({
        actionId: ACTIONS.verdictFit,
        value: lead.id,
        userId: "U0SELLER3",
        teamId: h.teamId,
        channelId: SALES,
        messageTs: "1790000000.000300",
      }),
    );
    expect(response.status).toBe(200);
    const updates = () =>
      h.fake.calls("chat.update").filter((c) => c.params.ts === "1790000000.000300");
    // Slack answers 500 to the client's first call and its three retries (about 3.5 s).
    h.fake.failNext("chat.update", { status: 500, times: 4 });
    await drain();
    expect(updates()).toHaveLength(4);
    const waiting = await h.deps.db.prisma.cardOutbox.findFirstOrThrow({
      where: { leadId: lead.id, kind: "card_update" },
    });
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting.lastError).toMatch(/500/);
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Its retry time comes.
    await h.deps.db.prisma.cardOutbox.update({
      where: { id: waiting.id },
      data: { nextAttemptAt: new Date() },
    });
    await drain();
    await drain();
    expect(updates()).toHaveLength(5);
    expect(JSON.stringify(updates()[4]?.params.blocks)).toContain("U0SELLER3");
    expect(
      await h.deps.db.prisma.cardOutbox.findUniqueOrThrow({ where: { id: waiting.id } }),
    ).toMatchObject({ status: "sent", lastError: null });
  });
});
