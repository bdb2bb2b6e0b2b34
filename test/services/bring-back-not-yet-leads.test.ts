import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Lead } from "../../src/domain/lead.ts";
import { addDays, dateInZone } from "../../src/domain/week.ts";
import { loadAppHome } from "../../src/services/app-home.ts";
import { bringBackDueNotYetLeads } from "../../src/services/bring-back-not-yet-leads.ts";
import { buildHindsight } from "../../src/services/build-hindsight.ts";
import { CardOutbox } from "../../src/services/post-lead-cards.ts";
import { type AppHarness, seedLead, startApp } from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";

const SALES = "C0NOTYETBACK";
const REP = "U0PUTOFF01";
const TIMEZONE = "America/Los_Angeles";

describe("not-yet leads coming back on their revisit date", () => {
  let h: AppHarness;
  let today: string;
  beforeAll(async () => {
    h = await startApp();
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { salesChannelId: SALES, timezone: TIMEZONE },
    });
    today = dateInZone(new Date(), TIMEZONE);
  });
  afterAll(() => h.close());
  beforeEach(() => h.fake.reset());

  /** A lead with a card, judged not yet a while ago, to revisit `inDays` from today. */
  async function notYet(inDays: number): Promise<Lead> {
    const lead = await seedLead(h, { card: { channelId: SALES, ts: `1.${randomUUID()}` } });
    await h.deps.repos.feedback.append(h.teamId, {
      leadId: lead.id,
      verdict: "not_yet",
      reasons: [],
      note: null,
      userId: REP,
      givenAt: new Date(Date.now() - 90 * 86_400_000),
      definitionStatus: "unknown",
      revisitOn: addDays(today, inDays),
    });
    return lead;
  }

  const judge = (lead: Lead, verdict: "fit" | "not_fit") =>
    h.deps.repos.feedback.append(h.teamId, {
      leadId: lead.id,
      verdict,
      reasons: verdict === "not_fit" ? ["no_budget"] : [],
      note: null,
      userId: REP,
      givenAt: new Date(),
      definitionStatus: "unknown",
    });

  const backCards = (lead: Lead) =>
    h.fake
      .calls("chat.postMessage")
      .filter((c) => c.params.channel === SALES && String(c.params.text).includes(lead.name ?? ""));

  it("two app instances on one PostgreSQL, and one started after them, post one card per lead whose date came, none for one judged again or not due", async () => {
    const due = await notYet(0);
    const overdue = await notYet(-3);
    const rejudged = await notYet(-1);
    await judge(rejudged, "fit");
    const later = await notYet(1);

    const second = await startApp({}, { alongside: h });
    try {
      const instances = [h, second];
      await Promise.all(instances.map((i) => bringBackDueNotYetLeads(i.deps)));
      await Promise.all(instances.map((i) => bringBackDueNotYetLeads(i.deps)));
      await Promise.all(
        instances.map((i) => new CardOutbox(i.deps, { perChannelIntervalMs: 0 }).drain()),
      );
    } finally {
      await second.close();
    }
    // A restart: a new instance finds everything done.
    const restarted = await startApp({}, { alongside: h });
    try {
      await bringBackDueNotYetLeads(restarted.deps);
      await new CardOutbox(restarted.deps, { perChannelIntervalMs: 0 }).drain();
    } finally {
      await restarted.close();
    }

    for (const lead of [due, overdue]) {
      const [card, ...more] = backCards(lead);
      expect(more).toHaveLength(0);
      expect(String(card?.params.text)).toMatch(/^Back from not yet: /);
      const blocks = JSON.stringify(card?.params.blocks);
      expect(blocks).toContain(`judged ⏳ by <@${REP}>`);
      expect(blocks).toContain("verdict_not_yet");
      expectWithinSlackLimits({
        text: String(card?.params.text),
        blocks: card?.params.blocks as object[],
      });
      // The lead's card is now the one that came back: a verdict updates it there.
      const stored = await h.deps.repos.leads.get(h.teamId, lead.id);
      expect(stored?.card?.ts).toBe(
        h.fake.messages(SALES).find((m) => m.text === card?.params.text)?.ts,
      );
    }
    expect(backCards(rejudged)).toHaveLength(0);
    expect(backCards(later)).toHaveLength(0);

    // Hindsight counts the leads that came back, and what became of them.
    await h.deps.repos.outcomes.upsert(h.teamId, [
      {
        externalId: `opp-${due.id}`,
        leadId: due.id,
        type: "opportunity",
        at: new Date(),
        amount: 5000,
      },
    ]);
    const hindsight = await buildHindsight(h.deps, {
      workspace: await h.workspace(),
      now: new Date(),
      viewerIsAdmin: false,
    });
    expect(hindsight.cameBack).toEqual({ leads: 2, reachedOpportunity: 1 });
  });

  it("posts nothing for a lead judged again between coming back and its card going out", async () => {
    const lead = await notYet(0);
    await bringBackDueNotYetLeads(h.deps);
    await judge(lead, "not_fit");
    await new CardOutbox(h.deps, { perChannelIntervalMs: 0 }).drain();
    expect(backCards(lead)).toHaveLength(0);
    const item = await h.deps.db.prisma.cardOutbox.findFirst({
      where: { workspaceId: h.teamId, leadId: lead.id, kind: "lead_back" },
    });
    expect(item).toMatchObject({ status: "sent", messageTs: null });
  });

  it("lists a lead back from not yet on App Home with the leads waiting, marked, until it is judged again", async () => {
    const lead = await notYet(0);
    const home = async () =>
      loadAppHome(h.deps, { workspace: await h.workspace(), viewerId: REP, offset: 0 });
    const waiting = async () => (await home()).leads.find((l) => l.lead.id === lead.id);
    expect(await waiting()).toBeUndefined();
    await bringBackDueNotYetLeads(h.deps);
    expect((await waiting())?.backFromNotYet).toMatchObject({
      userId: REP,
      revisitOn: today,
    });
    const before = (await home()).totalWaiting;
    await judge(lead, "fit");
    expect(await waiting()).toBeUndefined();
    expect((await home()).totalWaiting).toBe(before - 1);
  });
});
