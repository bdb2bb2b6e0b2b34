import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { transaction } from "../../src/db/repositories/index.ts";
import type { LeadInput } from "../../src/domain/ingest-schemas.ts";
import { ACTIONS } from "../../src/presentation/slack/ids.ts";
import { storeLeads } from "../../src/services/ingest-leads.ts";
import { CardOutbox } from "../../src/services/post-lead-cards.ts";
import { type AppHarness, startApp } from "../support/app-harness.ts";

const SALES = "C0SALESOUT";

/** The time between each pair of neighbours. */
function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, i) => time - (times[i] ?? time));
}
let n = 0;

function leads(count: number, campaign: string | null = "q4-webinar"): LeadInput[] {
  return Array.from({ length: count }, () => {
    n += 1;
    return {
      externalId: `out-${n}`,
      email: `out${n}@acme.example`,
      name: `Out ${n}`,
      company: "Acme",
      title: "CMO",
      campaign,
      owner: null,
      createdAt: new Date(),
      fields: {},
    };
  });
}

describe("the card outbox", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { salesChannelId: SALES },
    });
    await h.deps.db.prisma.cardOutbox.deleteMany({ where: { workspaceId: h.teamId } });
    h.fake.reset();
  });

  const ingest = async (batch: LeadInput[]) => {
    const workspace = await h.workspace();
    return transaction(h.deps.db, (repos) =>
      storeLeads(
        { repos },
        { workspace, definition: undefined, leads: batch, receivedAt: new Date() },
      ),
    );
  };
  /**
   * A worker claims this workspace's item, picks the channel, and dies five minutes ago. Written
   * as the claim leaves it rather than claimed: a claim takes the oldest items of every workspace,
   * and other test files' items share the outbox.
   */
  const claimAndDie = async () => {
    const item = await h.deps.db.prisma.cardOutbox.findFirst({
      where: { workspaceId: h.teamId, status: "pending" },
      orderBy: { id: "asc" },
    });
    if (!item) throw new Error("nothing to claim");
    await h.deps.db.prisma.cardOutbox.update({
      where: { id: item.id },
      data: {
        status: "sending",
        attempts: { increment: 1 },
        claimedAt: new Date(Date.now() - 5 * 60_000),
        channelId: SALES,
      },
    });
    return item;
  };
  const cardPosts = () =>
    h.fake.calls("chat.postMessage").filter((c) => c.params.channel === SALES);

  it("posts one card per new lead, at most one per second per channel, each once", async () => {
    const result = await ingest(leads(3));
    const outbox = new CardOutbox(h.deps, { perChannelIntervalMs: 300 });
    // The outbox is shared by every workspace (other test files' too): assert on this one's posts.
    await outbox.drain();
    const posts = cardPosts();
    expect(posts).toHaveLength(3);
    for (const [i, post] of posts.entries()) {
      expect(JSON.stringify(post.params.blocks)).toContain(ACTIONS.verdictFit);
      if (i > 0) expect(post.at - (posts[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(250);
    }
    for (const id of result.createdIds)
      expect((await h.deps.repos.leads.get(h.teamId, id))?.card?.channelId).toBe(SALES);
    // Draining again, or re-sending the same leads, posts nothing new.
    await outbox.drain();
    expect(cardPosts()).toHaveLength(3);
  });

  it("re-checks a re-sent lead whose fields changed and updates its card in place", async () => {
    const [lead] = leads(1);
    if (!lead) throw new Error("no lead");
    const [id] = (await ingest([lead])).createdIds;
    await new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
    const card = (await h.deps.repos.leads.get(h.teamId, id ?? ""))?.card;
    expect(card?.channelId).toBe(SALES);
    const changed = await ingest([{ ...lead, title: "Chief Revenue Officer" }]);
    expect(changed).toMatchObject({ created: 0, updated: 1 });
    await new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
    const update = await h.fake.waitFor("chat.update", (c) => c.params.ts === card?.ts);
    expect(JSON.stringify(update.params.blocks)).toContain("Chief Revenue Officer");
    expect(cardPosts()).toHaveLength(1);
  });

  it("updates cards after verdicts at chat.update's pace per workspace: a burst, then one per interval, each once, holding up no post", async () => {
    const { createdIds } = await ingest(leads(5));
    await new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
    for (const leadId of createdIds)
      await h.deps.repos.feedback.record(
        h.teamId,
        {
          leadId,
          verdict: "fit",
          reasons: [],
          note: null,
          userId: "U0PACED01",
          givenAt: new Date(),
        },
        randomUUID(),
        randomUUID(),
      );
    await ingest(leads(1));
    const cards = await Promise.all(createdIds.map((id) => h.deps.repos.leads.get(h.teamId, id)));
    const updated = () =>
      h.fake
        .calls("chat.update")
        .filter((c) => cards.some((card) => card?.card?.ts === c.params.ts));
    const outbox = new CardOutbox(h.deps, {
      perChannelIntervalMs: 0,
      // Slots far enough apart that a drain slowed by a loaded machine never reaches the next one.
      cardUpdates: { intervalMs: 2_000, burst: 2 },
    });

    await outbox.drain();
    // The burst goes at once, the new lead's card is posted, the other three wait for their turns.
    expect(updated()).toHaveLength(2);
    expect(cardPosts()).toHaveLength(6);
    const waiting = await h.deps.db.prisma.cardOutbox.findMany({
      where: { workspaceId: h.teamId, kind: "card_update", status: "pending" },
      orderBy: { id: "asc" },
    });
    expect(waiting.map((w) => w.attempts)).toEqual([0, 0, 0]);
    expect(gaps(waiting.map((w) => w.nextAttemptAt.getTime()))).toEqual([2_000, 2_000]);

    await expect
      .poll(
        async () => {
          await outbox.drain();
          return updated().length;
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(5);
    // After the burst of two, each update waits for its own slot, 2 s after the one before; a
    // busy machine may send it later than its slot, never earlier.
    const slots = waiting.map((w) => w.nextAttemptAt.getTime());
    updated()
      .slice(2)
      .forEach((call, k) => {
        expect(call.at).toBeGreaterThanOrEqual(slots[k] ?? Number.POSITIVE_INFINITY);
      });
    expect(new Set(updated().map((c) => c.params.ts)).size).toBe(5);
    const sent = await h.deps.db.prisma.cardOutbox.findMany({
      where: { workspaceId: h.teamId, kind: "card_update" },
    });
    expect(sent.map((item) => [item.status, item.attempts])).toEqual(Array(5).fill(["sent", 1]));
  });

  it("posts one summary for a bulk batch instead of a card each", async () => {
    await ingest(leads(37, "bulk-webinar"));
    await new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
    const posts = cardPosts();
    expect(posts).toHaveLength(1);
    expect(String(posts[0]?.params.text)).toContain("37 new leads from bulk-webinar");
  });

  it("queues nothing before a sales channel is set: the leads wait on App Home", async () => {
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { salesChannelId: null },
    });
    await ingest(leads(2));
    expect(await h.deps.db.prisma.cardOutbox.count({ where: { workspaceId: h.teamId } })).toBe(0);
  });

  it("after a crash mid-post, finds the card Slack already has instead of posting it again", async () => {
    const [created] = (await ingest(leads(1))).createdIds;
    // A worker claimed the item and posted it, then died before recording the result.
    const item = await claimAndDie();
    h.fake.respond("conversations.history", () => ({
      ok: true,
      messages: [
        {
          type: "message",
          ts: "1700000100.000200",
          text: "card",
          metadata: {
            event_type: "leadfit_card",
            event_payload: { outbox_id: item.id.toString() },
          },
        },
      ],
      has_more: false,
    }));
    const outbox = new CardOutbox(h.deps, { perChannelIntervalMs: 0 });
    await outbox.recover();
    await outbox.drain();
    expect(cardPosts()).toHaveLength(0);
    expect((await h.deps.repos.leads.get(h.teamId, created ?? ""))?.card).toEqual({
      channelId: SALES,
      ts: "1700000100.000200",
    });
  });

  it("after a crash before the post, posts the card exactly once", async () => {
    await ingest(leads(1));
    await claimAndDie();
    h.fake.respond("conversations.history", () => ({ ok: true, messages: [], has_more: false }));
    const outbox = new CardOutbox(h.deps, { perChannelIntervalMs: 0 });
    await outbox.recover();
    await outbox.drain();
    await outbox.recover();
    await outbox.drain();
    expect(cardPosts()).toHaveLength(1);
  });

  it("a channel the app is not in fails the card with a reason admins can act on; nothing is retried", async () => {
    h.fake.setChannel(SALES, { is_member: false });
    await ingest(leads(1));
    await new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
    expect(await h.deps.repos.outbox.failures(h.teamId, 5)).toEqual([
      expect.objectContaining({ kind: "lead_card", lastError: "not_in_channel" }),
    ]);
    const attempts = cardPosts().length;
    await new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
    expect(cardPosts()).toHaveLength(attempts);
  });
});
