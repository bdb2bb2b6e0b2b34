import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectCrm } from "../../../src/services/connect-crm.ts";
import { eraseLead } from "../../../src/services/delete-lead.ts";
import {
  fetchHubSpotChanges,
  HUBSPOT_CHANGE_MAX_ATTEMPTS,
  HUBSPOT_PRIVACY_DELETION_ACTOR,
} from "../../../src/services/fetch-hubspot-changes.ts";
import {
  deliverHubSpotWebhook,
  type FakeHubSpot,
  hubspotEvent,
  startFakeHubSpot,
} from "../../fakes/fake-hubspot.ts";
import { ADMIN, type AppHarness, startApp } from "../../support/app-harness.ts";
import { CRM_TEST_KEY, FAST_HUBSPOT } from "../../support/crm-sync.ts";

const SECRET = "hubspot-client-secret-0123456789";
const FIVE_MINUTES = 5 * 60_000;

describe("HubSpot webhooks: signed deliveries, the objects fetched by id", () => {
  let hubspot: FakeHubSpot;
  let h: AppHarness;
  let url: string;
  let portalId: number;

  const crmEnv = () => ({
    HUBSPOT_API_URL: hubspot.url,
    HUBSPOT_CLIENT_ID: "hubspot-client-id",
    HUBSPOT_CLIENT_SECRET: SECRET,
    LEADFIT_ENCRYPTION_KEY: CRM_TEST_KEY.toString("base64"),
  });
  const deliver = (
    events: object[] | string,
    options: { timestamp?: number; signature?: string } = {},
  ) => deliverHubSpotWebhook(url, events, { secret: SECRET, ...options });
  const fetchChanges = () => fetchHubSpotChanges(h.deps);
  const leadIds = async () =>
    (
      await h.deps.db.prisma.lead.findMany({
        where: { workspaceId: h.teamId },
        select: { externalId: true },
        orderBy: { externalId: "asc" },
      })
    ).map((l) => l.externalId);
  const marked = () => h.deps.db.prisma.hubSpotChange.count({ where: { workspaceId: h.teamId } });
  const cardsOf = async (externalId: string) => {
    const lead = await h.deps.db.prisma.lead.findFirst({
      where: { workspaceId: h.teamId, externalId },
      select: { id: true },
    });
    return h.deps.db.prisma.cardOutbox.count({
      where: { workspaceId: h.teamId, leadId: lead?.id, kind: "lead_card" },
    });
  };
  const judge = async (externalId: string) => {
    const lead = await h.deps.db.prisma.lead.findFirstOrThrow({
      where: { workspaceId: h.teamId, externalId },
      select: { id: true },
    });
    await h.deps.repos.feedback.record(
      h.teamId,
      {
        leadId: lead.id,
        verdict: "fit",
        reasons: [],
        note: null,
        userId: ADMIN,
        givenAt: new Date(),
      },
      randomUUID(),
      randomUUID(),
    );
  };

  beforeAll(async () => {
    // A portal of this file's own: other tests' workspaces are connected to other portals.
    portalId = 70_000_000 + Math.floor(Math.random() * 1_000_000);
    hubspot = await startFakeHubSpot({ ...FAST_HUBSPOT, portalId });
    h = await startApp(crmEnv());
    url = `${h.baseUrl}/crm/hubspot/webhook`;
    // New leads' cards go to the sales channel.
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { salesChannelId: "C0SALES001" },
    });
    await connectCrm(h.deps, {
      workspaceId: h.teamId,
      credentials: { kind: "hubspot", accessToken: "pat-na1-webhook" },
      connectedBy: ADMIN,
    });
  });
  afterAll(async () => {
    await h.close();
    await hubspot.close();
  });

  it("refuses a delivery with a wrong or missing signature, 401 without saying why, and stores nothing", async () => {
    hubspot.upsertContact("1001", { email: "forged@webhook.test" });
    const events = [hubspotEvent(portalId, "contact.creation", 1001)];
    const wrong = await deliver(events, { signature: "bm90IHRoZSBzaWduYXR1cmU=" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: "unauthorized",
      message: "Not signed by HubSpot.",
      issues: [],
    });
    const unsigned = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    expect(unsigned.status).toBe(401);
    // Signed with another secret.
    const other = await deliverHubSpotWebhook(url, events, { secret: "someone-else" });
    expect(other.status).toBe(401);
    expect(await marked()).toBe(0);
    await fetchChanges();
    expect(await leadIds()).not.toContain("1001");
  });

  it("refuses a correctly signed delivery whose timestamp is more than 5 minutes old", async () => {
    const events = [hubspotEvent(portalId, "contact.creation", 1001)];
    const stale = await deliver(events, { timestamp: Date.now() - FIVE_MINUTES - 1_000 });
    expect(stale.status).toBe(401);
    expect(await marked()).toBe(0);
    const fresh = await deliver(events, { timestamp: Date.now() - FIVE_MINUTES + 30_000 });
    expect(fresh.status).toBe(200);
    await fetchChanges();
    expect(await leadIds()).toContain("1001");
  });

  it("answers at once, then fetches the contact by id: a new lead with its card; a repeated delivery changes nothing", async () => {
    hubspot.upsertContact("1101", {
      email: "Ada@Webhook.test",
      firstname: "Ada",
      lastname: "Lovelace",
      company: "Analytical",
    });
    const events = [
      hubspotEvent(portalId, "contact.creation", 1101),
      hubspotEvent(portalId, "contact.propertyChange", 1101, {
        propertyName: "company",
        propertyValue: "Analytical",
      }),
    ];
    const answer = await deliver(events);
    expect(answer.status).toBe(200);
    // Stored before the answer, fetched after it: one object however many events named it.
    expect(await marked()).toBe(1);
    expect(await leadIds()).not.toContain("1101");

    const reads = hubspot.calls("/crm/v3/objects/contacts/batch/read").length;
    expect(await fetchChanges()).toEqual({ fetched: 1, erased: 0, retrying: 0, leftToSync: 0 });
    const read = hubspot.calls("/crm/v3/objects/contacts/batch/read").slice(reads);
    expect(read.map((c) => c.body)).toMatchObject([{ inputs: [{ id: "1101" }] }]);
    const lead = await h.deps.db.prisma.lead.findFirst({
      where: { workspaceId: h.teamId, externalId: "1101" },
    });
    expect(lead).toMatchObject({ email: "ada@webhook.test", name: "Ada Lovelace", crm: "hubspot" });
    expect(await cardsOf("1101")).toBe(1);
    expect(await marked()).toBe(0);

    // HubSpot sends a delivery again when it missed the answer: the same events, the same lead.
    expect((await deliver(events)).status).toBe(200);
    await fetchChanges();
    expect((await leadIds()).filter((id) => id === "1101")).toHaveLength(1);
    expect(await cardsOf("1101")).toBe(1);
  });

  it("deletes the lead of a deleted contact unless it was judged, which is kept", async () => {
    hubspot.upsertContact("1201", { email: "judged@webhook.test" });
    hubspot.upsertContact("1202", { email: "unjudged@webhook.test" });
    await deliver([
      hubspotEvent(portalId, "contact.creation", 1201),
      hubspotEvent(portalId, "contact.creation", 1202),
    ]);
    await fetchChanges();
    await judge("1201");
    hubspot.archiveContact("1201");
    hubspot.archiveContact("1202");
    await deliver([
      hubspotEvent(portalId, "contact.deletion", 1201),
      hubspotEvent(portalId, "contact.deletion", 1202),
    ]);
    await fetchChanges();
    const ids = await leadIds();
    expect(ids).toContain("1201");
    expect(ids).not.toContain("1202");
  });

  it("erases the lead of a contact deleted for privacy, judged or not, as `lead delete` does: verdicts, outcomes, card, audited", async () => {
    hubspot.upsertContact("1901", { email: "forget.me@webhook.test", firstname: "Forget" });
    hubspot.upsertDeal({
      id: "9901",
      contactIds: ["1901"],
      properties: { amount: "5000", hs_is_closed: "true", hs_is_closed_won: "true" },
    });
    await deliver([
      hubspotEvent(portalId, "contact.creation", 1901),
      hubspotEvent(portalId, "deal.creation", 9901),
    ]);
    await fetchChanges();
    await judge("1901");
    const lead = await h.deps.db.prisma.lead.findFirstOrThrow({
      where: { workspaceId: h.teamId, externalId: "1901" },
      select: { id: true },
    });
    const card = { channelId: "C0SALES001", ts: "1790000000.001901" };
    await h.deps.repos.leads.setCard(h.teamId, lead.id, card);
    const ofLead = { where: { leadId: lead.id } };
    expect(await h.deps.db.prisma.outcome.count(ofLead)).toBeGreaterThan(0);

    hubspot.privacyDeleteContact("1901");
    const reads = hubspot.calls("/crm/v3/objects/contacts/batch/read").length;
    const updates = h.fake.calls("chat.update").length;
    // HubSpot sends the ordinary deletion too; either may come first.
    const answer = await deliver([
      hubspotEvent(portalId, "contact.deletion", 1901),
      hubspotEvent(portalId, "contact.privacyDeletion", 1901),
    ]);
    expect(answer.status).toBe(200);
    expect(await fetchChanges()).toEqual({ fetched: 0, erased: 1, retrying: 0, leftToSync: 0 });

    expect(await leadIds()).not.toContain("1901");
    expect(await h.deps.db.prisma.leadFeedback.count(ofLead)).toBe(0);
    expect(await h.deps.db.prisma.outcome.count(ofLead)).toBe(0);
    // Gone from HubSpot for good: nothing to read.
    expect(hubspot.calls("/crm/v3/objects/contacts/batch/read")).toHaveLength(reads);
    const [update] = h.fake.calls("chat.update").slice(updates);
    expect(update?.params).toMatchObject({ channel: card.channelId, ts: card.ts });
    expect(JSON.stringify(update?.params)).not.toContain("forget.me");
    const audit = await h.deps.db.prisma.auditEntry.findMany({
      where: { workspaceId: h.teamId, action: "lead.deleted" },
      select: { actor: true, details: true },
    });
    expect(audit).toEqual([
      {
        actor: HUBSPOT_PRIVACY_DELETION_ACTOR,
        details: { externalId: "1901", verdicts: 1, deliveries: 0 },
      },
    ]);

    // Sent again (HubSpot missed the answer): nothing left to erase, nothing else touched.
    expect((await deliver([hubspotEvent(portalId, "contact.privacyDeletion", 1901)])).status).toBe(
      200,
    );
    expect(await fetchChanges()).toEqual({ fetched: 0, erased: 0, retrying: 0, leftToSync: 0 });
    expect(await marked()).toBe(0);
  });

  it("never gives a privacy deletion up to the sync, which would never see it: tried until the lead is erased", async () => {
    hubspot.upsertContact("1951", { email: "retry.erase@webhook.test" });
    await deliver([hubspotEvent(portalId, "contact.creation", 1951)]);
    await fetchChanges();
    hubspot.privacyDeleteContact("1951");
    await deliver([hubspotEvent(portalId, "contact.privacyDeletion", 1951)]);
    // The database refuses every erasure; each round runs once the last wait is over.
    const refusing = new Proxy(h.deps.db.prisma, {
      get: (prisma, name) =>
        name === "$transaction"
          ? () => Promise.reject(new Error("database refuses the erasure"))
          : Reflect.get(prisma, name),
    });
    let at = Date.now();
    for (let round = 1; round <= HUBSPOT_CHANGE_MAX_ATTEMPTS + 1; round += 1) {
      expect(
        await fetchHubSpotChanges({
          ...h.deps,
          db: { ...h.deps.db, prisma: refusing },
          now: () => new Date(at),
        }),
      ).toMatchObject({ erased: 0, retrying: 1, leftToSync: 0 });
      at += 10 * 60_000;
    }
    expect(await leadIds()).toContain("1951");
    expect(await fetchHubSpotChanges({ ...h.deps, now: () => new Date(at) })).toMatchObject({
      erased: 1,
      retrying: 0,
    });
    expect(await leadIds()).not.toContain("1951");
    expect(await marked()).toBe(0);
  });

  it("never brings an erased contact back: a page read before its privacy deletion and stored after it leaves the lead erased", async () => {
    hubspot.upsertContact("2201", { email: "read.before@webhook.test" });
    await deliver([hubspotEvent(portalId, "contact.creation", 2201)]);
    await fetchChanges();
    hubspot.upsertContact("2201", { email: "read.before@webhook.test", company: "Later" });
    await deliver([hubspotEvent(portalId, "contact.propertyChange", 2201)]);
    // The fetch reads the contact; before it stores what it read, the privacy deletion is erased.
    const reads = hubspot.calls("/crm/v3/objects/contacts/batch/read").length;
    let erasure: Promise<unknown> | undefined;
    const erasingAfterTheRead = new Proxy(h.deps.db.prisma, {
      get: (prisma, name) =>
        name === "$transaction"
          ? async (...args: Parameters<typeof prisma.$transaction>) => {
              if (!erasure && hubspot.calls("/crm/v3/objects/contacts/batch/read").length > reads) {
                hubspot.privacyDeleteContact("2201");
                erasure = eraseLead(
                  { db: h.deps.db, gateway: () => h.deps.slack.gateway(h.teamId) },
                  {
                    workspaceId: h.teamId,
                    externalId: "2201",
                    actor: HUBSPOT_PRIVACY_DELETION_ACTOR,
                    erasedFrom: "hubspot",
                  },
                );
                await erasure;
              }
              return prisma.$transaction(...args);
            }
          : Reflect.get(prisma, name),
    });
    const report = await fetchHubSpotChanges({
      ...h.deps,
      db: { ...h.deps.db, prisma: erasingAfterTheRead },
    });
    expect(erasure).toBeDefined();
    expect(report).toMatchObject({ fetched: 1 });
    expect(await leadIds()).not.toContain("2201");
    // Nor does a later read of an old page (a backfill, say) or the erasure sent again.
    await deliver([hubspotEvent(portalId, "contact.privacyDeletion", 2201)]);
    await fetchChanges();
    expect(await leadIds()).not.toContain("2201");
  });

  it("keeps a contact a deletion event named when HubSpot still has it (restored since)", async () => {
    hubspot.upsertContact("1251", { email: "restored@webhook.test" });
    await deliver([
      hubspotEvent(portalId, "contact.deletion", 1251),
      hubspotEvent(portalId, "contact.restore", 1251),
    ]);
    await fetchChanges();
    expect(await leadIds()).toContain("1251");
  });

  it("folds a merge: the merged contact's lead and verdict move onto the survivor", async () => {
    hubspot.upsertContact("1301", { email: "primary@webhook.test" });
    hubspot.upsertContact("1302", { email: "duplicate@webhook.test" });
    await deliver([
      hubspotEvent(portalId, "contact.creation", 1301),
      hubspotEvent(portalId, "contact.creation", 1302),
    ]);
    await fetchChanges();
    await judge("1302");
    hubspot.mergeContacts("1301", "1302");
    await deliver([
      hubspotEvent(portalId, "contact.merge", 1301, {
        primaryObjectId: 1301,
        mergedObjectIds: [1302],
        newObjectId: 1301,
        numberOfPropertiesMoved: 3,
      }),
    ]);
    await fetchChanges();
    const ids = await leadIds();
    expect(ids).toContain("1301");
    expect(ids).not.toContain("1302");
    const verdicts = await h.deps.db.prisma.leadFeedback.count({
      where: { lead: { workspaceId: h.teamId, externalId: "1301" } },
    });
    expect(verdicts).toBe(1);
  });

  it("stores a deal's outcome on its contact's lead", async () => {
    hubspot.upsertContact("1401", { email: "buyer@webhook.test" });
    hubspot.upsertDeal({
      id: "9401",
      contactIds: ["1401"],
      properties: {
        amount: "12000",
        hs_is_closed: "true",
        hs_is_closed_won: "true",
        closedate: new Date().toISOString(),
      },
    });
    await deliver([
      hubspotEvent(portalId, "contact.creation", 1401),
      hubspotEvent(portalId, "deal.creation", 9401),
    ]);
    await fetchChanges();
    const outcomes = await h.deps.db.prisma.outcome.findMany({
      where: { lead: { workspaceId: h.teamId, externalId: "1401" } },
      select: { externalId: true, type: true },
    });
    expect(outcomes).toContainEqual({ externalId: "9401", type: "won" });
  });

  it("shares marked contacts between two replicas' fetches: each read once, each lead once", async () => {
    const ids = [1701, 1702, 1703, 1704, 1705];
    for (const id of ids) hubspot.upsertContact(String(id), { email: `r${id}@webhook.test` });
    await deliver(ids.map((id) => hubspotEvent(portalId, "contact.creation", id)));
    const reads = hubspot.calls("/crm/v3/objects/contacts/batch/read").length;
    const [one, other] = await Promise.all([fetchChanges(), fetchChanges()]);
    expect(one.fetched + other.fetched).toBe(ids.length);
    const asked = hubspot
      .calls("/crm/v3/objects/contacts/batch/read")
      .slice(reads)
      .flatMap((c) => (c.body as { inputs: { id: string }[] }).inputs.map((i) => i.id));
    expect(asked.sort()).toEqual(ids.map(String));
    for (const id of ids) expect(await cardsOf(String(id))).toBe(1);
  });

  it("answers a delivery from a portal no workspace is connected to, and keeps nothing of it", async () => {
    const before = h.logs.length;
    const answer = await deliver([hubspotEvent(portalId + 1, "contact.creation", 1501)]);
    expect(answer.status).toBe(200);
    expect(await marked()).toBe(0);
    expect(h.logs.slice(before).join("\n")).toContain(String(portalId + 1));
  });

  it("ignores events of types it does not handle and takes the rest of the delivery: an association change beside a new contact", async () => {
    hubspot.upsertContact("2001", { email: "associated@webhook.test" });
    const { objectId: _none, ...envelope } = hubspotEvent(portalId, "contact.associationChange", 0);
    const associationChange = {
      ...envelope,
      associationType: "CONTACT_TO_COMPANY",
      fromObjectId: 2001,
      toObjectId: 5001,
      associationRemoved: false,
      isPrimaryAssociation: true,
    };
    const before = h.logs.length;
    const answer = await deliver([
      associationChange,
      hubspotEvent(portalId, "contact.creation", 2001),
      hubspotEvent(portalId, "company.creation", 5001),
      hubspotEvent(portalId, "object.associationChange", 2001, { objectTypeId: "0-1" }),
    ]);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ marked: 1 });
    expect(await fetchChanges()).toMatchObject({ fetched: 1 });
    expect(await leadIds()).toContain("2001");
    // Counted by type, nothing of the events themselves.
    const logged = h.logs.slice(before).find((line) => line.includes("does not handle"));
    expect(logged).toContain(
      '{"ignored":{"contact.associationChange":1,"company.creation":1,"object.associationChange":1}}',
    );
  });

  it("refuses a signed body that is not a delivery (400), and one past the size bound (413)", async () => {
    const invalid = await deliver([{ portalId, subscriptionType: "contact.creation" }]);
    expect(invalid.status).toBe(400);
    for (const body of ["not json", '{"portalId":1}', "[]"])
      expect((await deliver(body)).status).toBe(400);
    // An event of a type Leadfit handles is checked in full: a creation must name its contact.
    const { objectId: _none, ...nameless } = hubspotEvent(portalId, "contact.creation", 0);
    const incomplete = await deliver([hubspotEvent(portalId, "contact.creation", 2101), nameless]);
    expect(incomplete.status).toBe(400);
    expect(await incomplete.json()).toMatchObject({
      message: expect.stringContaining("1.objectId"),
    });
    const huge = await deliver([
      hubspotEvent(portalId, "contact.creation", 1, { pad: "x".repeat(1_100_000) }),
    ]);
    expect(huge.status).toBe(413);
    expect(await marked()).toBe(0);
  });

  it("checks deliveries with a private app's client secret alone: no OAuth client id needed", async () => {
    const privateApp = await startApp({
      HUBSPOT_API_URL: hubspot.url,
      HUBSPOT_CLIENT_SECRET: SECRET,
    });
    try {
      const privateUrl = `${privateApp.baseUrl}/crm/hubspot/webhook`;
      const events = [hubspotEvent(portalId + 3, "contact.creation", 1801)];
      const signed = await deliverHubSpotWebhook(privateUrl, events, { secret: SECRET });
      expect(signed.status).toBe(200);
      const forged = await deliverHubSpotWebhook(privateUrl, events, { secret: "someone-else" });
      expect(forged.status).toBe(401);
    } finally {
      await privateApp.close();
    }
  });

  it("is not there (404) without HUBSPOT_CLIENT_SECRET, and answers in Socket Mode too", async () => {
    const bare = await startApp({ HUBSPOT_API_URL: hubspot.url });
    try {
      const answer = await deliverHubSpotWebhook(`${bare.baseUrl}/crm/hubspot/webhook`, [], {
        secret: SECRET,
      });
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ error: "not_configured" });
    } finally {
      await bare.close();
    }
    const socket = await startApp(crmEnv(), { transport: "socket" });
    try {
      const answer = await deliverHubSpotWebhook(
        `${socket.baseUrl}/crm/hubspot/webhook`,
        [hubspotEvent(portalId + 2, "contact.creation", 1601)],
        { secret: SECRET },
      );
      expect(answer.status).toBe(200);
    } finally {
      await socket.close();
    }
  });
});
