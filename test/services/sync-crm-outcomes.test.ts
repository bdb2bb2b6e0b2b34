import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/app-error.ts";
import { localMidnight } from "../../src/domain/week.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { workspaceTimezone } from "../../src/domain/workspace.ts";
import { syncCrm } from "../../src/services/sync-crm.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../fakes/fake-salesforce.ts";
import {
  connectedWorkspace,
  crmSyncDeps,
  crmTestConfig,
  FAST_HUBSPOT,
} from "../support/crm-sync.ts";
import { suiteDatabase } from "../support/database.ts";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

describe("CRM sync: outcomes, merges, deletions and cursors", () => {
  const { db } = suiteDatabase();
  let hubspot: FakeHubSpot;
  let salesforce: FakeSalesforce;
  const crm = () => crmTestConfig({ hubspot: hubspot.url, salesforce: salesforce.url });
  const sync = (workspace: Workspace) =>
    syncCrm(crmSyncDeps(db, crm()), { workspaceId: workspace.id });
  const hubspotWorkspace = () =>
    connectedWorkspace(db, crm(), { kind: "hubspot", accessToken: "pat-na1-test" });
  const salesforceWorkspace = () =>
    connectedWorkspace(db, crm(), {
      kind: "salesforce",
      instanceUrl: salesforce.url,
      accessToken: salesforce.accessToken(),
    });

  /** Outcomes by lead CRM id, as `<lead> <opportunity> <type> <amount>`, sorted. */
  async function outcomesOf(workspace: Workspace): Promise<string[]> {
    const rows = await db.prisma.outcome.findMany({
      where: { workspaceId: workspace.id },
      select: {
        externalId: true,
        type: true,
        amount: true,
        lead: { select: { externalId: true } },
      },
    });
    return rows
      .map((o) => `${o.lead.externalId} ${o.externalId} ${o.type} ${o.amount ?? "-"}`)
      .sort();
  }
  const leadIds = async (workspace: Workspace) =>
    (
      await db.prisma.lead.findMany({
        where: { workspaceId: workspace.id },
        select: { externalId: true },
        orderBy: { externalId: "asc" },
      })
    ).map((l) => l.externalId);
  async function giveVerdict(workspace: Workspace, externalId: string, givenAt: Date) {
    const lead = await db.prisma.lead.findUniqueOrThrow({
      where: { workspaceId_externalId: { workspaceId: workspace.id, externalId } },
    });
    await db.prisma.leadFeedback.create({
      data: {
        workspaceId: workspace.id,
        leadId: lead.id,
        verdict: "not_fit",
        reasons: ["no_budget"],
        userId: "U1",
        givenAt,
        definitionStatus: "unknown",
      },
    });
  }
  const verdictsOf = async (workspace: Workspace, externalId: string) =>
    db.prisma.leadFeedback.count({
      where: { workspaceId: workspace.id, lead: { externalId } },
    });

  // One portal and one org per test: each test's workspace syncs all of it.
  beforeEach(async () => {
    hubspot = await startFakeHubSpot(FAST_HUBSPOT);
    salesforce = await startFakeSalesforce();
  });
  afterEach(async () => {
    await hubspot.close();
    await salesforce.close();
  });

  it("stores HubSpot deals as outcomes of their earliest lead, once, and follows reopened and deleted deals", async () => {
    const workspace = await hubspotWorkspace();
    hubspot.upsertContact("501", { email: "first@deal.test" }, daysAgo(20));
    hubspot.upsertContact("502", { email: "second@deal.test" }, daysAgo(10));
    hubspot.upsertContact("503", { firstname: "No email, no lead" }, daysAgo(10));
    const closed = "2026-11-20T15:00:00.000Z";
    hubspot.upsertDeal({
      id: "9001",
      contactIds: ["502", "501"],
      properties: { amount: "12000", hs_is_closed: "false", hs_is_closed_won: "false" },
      at: daysAgo(5),
    });
    hubspot.upsertDeal({
      id: "9002",
      contactIds: ["502"],
      properties: {
        amount: "30000.5",
        closedate: closed,
        hs_is_closed: "true",
        hs_is_closed_won: "true",
      },
      at: daysAgo(4),
    });
    hubspot.upsertDeal({
      id: "9003",
      contactIds: ["502"],
      properties: { amount: "900", closedate: closed, hs_is_closed: "true" },
      at: daysAgo(4),
    });
    hubspot.upsertDeal({ id: "9004", contactIds: ["503"], properties: {}, at: daysAgo(4) });
    hubspot.upsertDeal({ id: "9005", contactIds: [], properties: {}, at: daysAgo(4) });

    const first = await sync(workspace);
    expect(first).toMatchObject({ error: null });
    expect(first.counts.outcomes).toBe(5);
    expect(await outcomesOf(workspace)).toEqual([
      "501 9001 opportunity 12000",
      "502 9002 opportunity 30000.5",
      "502 9002 won 30000.5",
      "502 9003 lost -",
      "502 9003 opportunity 900",
    ]);
    const won = await db.prisma.outcome.findFirstOrThrow({
      where: { workspaceId: workspace.id, externalId: "9002", type: "won" },
    });
    expect(won.at.toISOString()).toBe(closed);

    // Read again (the overlap), nothing changes.
    expect((await sync(workspace)).counts.outcomes).toBe(0);

    hubspot.upsertDeal({
      id: "9002",
      contactIds: ["502"],
      properties: { hs_is_closed: "false", hs_is_closed_won: "false", amount: "30000.5" },
    });
    hubspot.archiveDeal("9003");
    const third = await sync(workspace);
    expect(third.counts.outcomes).toBe(3);
    expect(await outcomesOf(workspace)).toEqual([
      "501 9001 opportunity 12000",
      "502 9002 opportunity 30000.5",
    ]);
  });

  it("takes a HubSpot contact's lifecycle stage as its outcomes until it has a deal", async () => {
    const workspace = await hubspotWorkspace();
    hubspot.upsertContact(
      "551",
      {
        email: "stage@lifecycle.test",
        hs_lifecyclestage_opportunity_date: "2026-10-01T10:00:00.000Z",
        hs_lifecyclestage_customer_date: "2026-11-01T10:00:00.000Z",
      },
      daysAgo(6),
    );
    await sync(workspace);
    expect(await outcomesOf(workspace)).toEqual([
      "551 lifecycle:551 opportunity -",
      "551 lifecycle:551 won -",
    ]);
    hubspot.upsertDeal({
      id: "9551",
      contactIds: ["551"],
      properties: { amount: "700", hs_is_closed: "true", hs_is_closed_won: "true" },
      at: daysAgo(5),
    });
    await sync(workspace);
    expect(await outcomesOf(workspace)).toEqual(["551 9551 opportunity 700", "551 9551 won 700"]);
  });

  it("gives leads the Slack user of their CRM owner's email, looked up once a sync", async () => {
    const workspace = await hubspotWorkspace();
    hubspot.addOwner({ id: "77", email: "rep@acme.test" });
    hubspot.addOwner({ id: "78", email: "no-slack@acme.test" });
    hubspot.addOwner({ id: "79", email: "owns-nothing@acme.test" });
    for (let i = 0; i < 250; i++) {
      const owner = i % 2 === 0 ? "77" : "78";
      hubspot.upsertContact(
        String(5600 + i),
        { email: `o${i}@owners.test`, hubspot_owner_id: owner },
        new Date(daysAgo(4).getTime() + i),
      );
    }
    const lookups: string[] = [];
    const slack = {
      gateway: async () => ({
        userIdByEmail: async (email: string) => {
          lookups.push(email);
          return email === "rep@acme.test" ? "U0REP0001" : undefined;
        },
      }),
    };
    await syncCrm({ ...crmSyncDeps(db, crm()), slack }, { workspaceId: workspace.id });
    const owners = await db.prisma.lead.groupBy({
      by: ["owner"],
      where: { workspaceId: workspace.id },
      _count: true,
      orderBy: { owner: "asc" },
    });
    expect(owners.map((o) => [o.owner, o._count])).toEqual([
      ["U0REP0001", 125],
      ["no-slack@acme.test", 125],
    ]);
    expect(lookups.sort()).toEqual(["no-slack@acme.test", "rep@acme.test"]);
  });

  describe("when the workspace's Slack cannot match owners", () => {
    const syncWithSlack = (
      workspace: Workspace,
      gateway: () => Promise<{ userIdByEmail(email: string): Promise<string | undefined> }>,
    ) => syncCrm({ ...crmSyncDeps(db, crm()), slack: { gateway } }, { workspaceId: workspace.id });
    async function ownedContact() {
      const workspace = await hubspotWorkspace();
      hubspot.addOwner({ id: "77", email: "rep@acme.test" });
      hubspot.upsertContact("5700", { email: "a@owners.test", hubspot_owner_id: "77" }, daysAgo(4));
      return workspace;
    }

    it("keeps the owners' emails in a workspace Slack is not installed in", async () => {
      const workspace = await ownedContact();
      const report = await syncWithSlack(workspace, () =>
        Promise.reject(new AppError("slack_not_installed", "no installation", "Not installed.")),
      );
      expect(report.error).toBeNull();
      const leads = await db.prisma.lead.findMany({
        where: { workspaceId: workspace.id },
        select: { owner: true },
      });
      expect(leads).toEqual([{ owner: "rep@acme.test" }]);
    });

    it("stops with Slack's own reason, or says Slack did not answer the lookup", async () => {
      const workspace = await ownedContact();
      const revoked = await syncWithSlack(workspace, () =>
        Promise.reject(
          new AppError("slack_token_revoked", "revoked", "Leadfit was removed from Slack."),
        ),
      );
      expect(revoked.error).toBe("Leadfit was removed from Slack.");
      const down = await syncWithSlack(workspace, async () => ({
        userIdByEmail: () => Promise.reject(new Error("socket hang up")),
      }));
      expect(down.error).toBe(
        "Slack did not answer the lookup of the CRM owners' emails; the sync tries again next round.",
      );
      expect(await leadIds(workspace)).toEqual([]);
    });
  });

  it("folds a merged HubSpot contact into the survivor with its verdicts and outcomes", async () => {
    const workspace = await hubspotWorkspace();
    hubspot.upsertContact("601", { email: "kept@merge.test" }, daysAgo(9));
    hubspot.upsertContact("602", { email: "dup@merge.test" }, daysAgo(8));
    hubspot.upsertContact("603", { email: "only-lead@merge.test" }, daysAgo(8));
    hubspot.upsertContact("604", { firstname: "No email yet" }, daysAgo(8));
    hubspot.upsertDeal({ id: "9101", contactIds: ["602"], properties: {}, at: daysAgo(7) });
    await sync(workspace);
    await giveVerdict(workspace, "602", daysAgo(6));
    await giveVerdict(workspace, "603", daysAgo(6));

    hubspot.mergeContacts("601", "602");
    hubspot.mergeContacts("604", "603");
    const report = await sync(workspace);
    expect(report).toMatchObject({ error: null, leadsKept: 0 });
    expect(report.counts.leadsRemoved).toBe(1);
    // 603 had no surviving lead to join: its lead takes the survivor's id, verdict and all.
    expect(await leadIds(workspace)).toEqual(["601", "604"]);
    expect(await verdictsOf(workspace, "601")).toBe(1);
    expect(await verdictsOf(workspace, "604")).toBe(1);
    expect(await outcomesOf(workspace)).toEqual(["601 9101 opportunity -"]);
  });

  it("deletes the leads of deleted HubSpot contacts unless they carry a verdict or an outcome", async () => {
    const workspace = await hubspotWorkspace();
    hubspot.upsertContact("701", { email: "judged@delete.test" }, daysAgo(3));
    hubspot.upsertContact("702", { email: "bought@delete.test" }, daysAgo(3));
    hubspot.upsertContact("703", { email: "unseen@delete.test" }, daysAgo(3));
    hubspot.upsertDeal({ id: "9201", contactIds: ["702"], properties: {}, at: daysAgo(2) });
    await sync(workspace);
    await giveVerdict(workspace, "701", daysAgo(1));
    for (const id of ["701", "702", "703"]) hubspot.archiveContact(id);
    const report = await sync(workspace);
    expect(report).toMatchObject({ leadsKept: 2 });
    expect(report.counts.leadsRemoved).toBe(1);
    expect(await leadIds(workspace)).toEqual(["701", "702"]);
    expect(await verdictsOf(workspace, "701")).toBe(1);
    // Each deletion is handled once: the next round has nothing to say about them.
    expect(await sync(workspace)).toMatchObject({ leadsKept: 0 });
  });

  it("maps Salesforce opportunities back to converted leads, follows deleted ones and merged leads", async () => {
    const workspace = await salesforceWorkspace();
    const lead = (Id: string, Email: string, at: Date) =>
      salesforce.upsert("Lead", { Id, Email, LastName: "Lee", Company: "Initech" }, at);
    lead("00Q000000000011", "converted@sf.test", daysAgo(30));
    lead("00Q000000000012", "master@sf.test", daysAgo(30));
    lead("00Q000000000013", "duplicate@sf.test", daysAgo(30));
    await sync(workspace);
    await giveVerdict(workspace, "00Q000000000013", daysAgo(20));

    salesforce.upsert(
      "Opportunity",
      {
        Id: "006000000000001",
        Amount: 50000,
        IsClosed: false,
        IsWon: false,
        CloseDate: "2026-12-31",
      },
      daysAgo(3),
    );
    salesforce.convertLead(
      "00Q000000000011",
      {
        contactId: "003000000000001",
        accountId: "001000000000001",
        opportunityId: "006000000000001",
      },
      daysAgo(3),
    );
    // Opened on the converted contact later: it maps through the opportunity's primary contact.
    salesforce.upsert(
      "Opportunity",
      {
        Id: "006000000000002",
        Amount: 8000,
        IsClosed: true,
        IsWon: true,
        CloseDate: "2026-12-01",
        ContactId: "003000000000001",
      },
      daysAgo(2),
    );
    salesforce.upsert(
      "Opportunity",
      { Id: "006000000000003", Amount: 1, IsClosed: false, IsWon: false },
      daysAgo(2),
    );
    salesforce.mergeLeads("00Q000000000012", "00Q000000000013", daysAgo(2));

    const report = await sync(workspace);
    expect(report).toMatchObject({ error: null, leadsKept: 0 });
    expect(await outcomesOf(workspace)).toEqual([
      "00Q000000000011 006000000000001 opportunity 50000",
      "00Q000000000011 006000000000002 opportunity 8000",
      "00Q000000000011 006000000000002 won 8000",
    ]);
    const won = await db.prisma.outcome.findFirstOrThrow({
      where: { workspaceId: workspace.id, type: "won" },
    });
    expect(won.at).toEqual(localMidnight("2026-12-01", workspaceTimezone(workspace)));
    // The converted lead stays; the merged one is folded into its master, verdict and all.
    expect(await leadIds(workspace)).toEqual(["00Q000000000011", "00Q000000000012"]);
    expect(await verdictsOf(workspace, "00Q000000000012")).toBe(1);

    salesforce.delete("Opportunity", "006000000000002");
    // Converted into an opportunity older than the Opportunity cursor: the lead's change brings it.
    salesforce.upsert(
      "Opportunity",
      { Id: "006000000000004", Amount: 900, IsClosed: false, IsWon: false },
      daysAgo(40),
    );
    salesforce.convertLead("00Q000000000012", {
      contactId: "003000000000002",
      accountId: "001000000000001",
      opportunityId: "006000000000004",
    });
    await sync(workspace);
    expect(await outcomesOf(workspace)).toEqual([
      "00Q000000000011 006000000000001 opportunity 50000",
      "00Q000000000012 006000000000004 opportunity 900",
    ]);
  });

  async function cursorOf(workspace: Workspace, object: string): Promise<Date> {
    const row = await db.prisma.crmConnection.findUniqueOrThrow({
      where: { workspaceId: workspace.id },
    });
    const cursors = row.cursors as Record<string, { modifiedSince: string }>;
    return new Date(cursors[object]?.modifiedSince ?? Number.NaN);
  }

  it("reads again a record changed at exactly its object's cursor", async () => {
    const workspace = await hubspotWorkspace();
    hubspot.upsertContact("801", { email: "first@cursor.test" }, daysAgo(2));
    hubspot.upsertDeal({ id: "9801", contactIds: ["801"], properties: {}, at: daysAgo(2) });
    await sync(workspace);
    const contacts = await cursorOf(workspace, "contacts");
    const deals = await cursorOf(workspace, "deals");
    hubspot.upsertDeal({ id: "9802", contactIds: ["802"], properties: {}, at: deals });
    hubspot.upsertContact("802", { email: "same-time@cursor.test" }, contacts);
    await sync(workspace);
    expect(await leadIds(workspace)).toEqual(["801", "802"]);
    expect(await outcomesOf(workspace)).toEqual([
      "801 9801 opportunity -",
      "802 9802 opportunity -",
    ]);

    const org = await salesforceWorkspace();
    salesforce.upsert("Lead", { Id: "00Q000000000801", Email: "a@cursor.test" }, daysAgo(2));
    await sync(org);
    const leads = await cursorOf(org, "Lead");
    salesforce.upsert("Lead", { Id: "00Q000000000802", Email: "b@cursor.test" }, leads);
    await sync(org);
    expect(await leadIds(org)).toEqual(["00Q000000000801", "00Q000000000802"]);
  });

  it("resumes a sync that died after its first page without gaps or doubles", async () => {
    const workspace = await hubspotWorkspace();
    hubspot.upsertContact("1", { email: "before@resume.test" }, daysAgo(3));
    await sync(workspace);
    const base = daysAgo(2).getTime();
    for (let i = 0; i < 450; i++) {
      hubspot.upsertContact(String(2000 + i), { email: `r${i}@resume.test` }, new Date(base + i));
    }
    // Once the first page is answered, every try at the next one fails: the sync stops there.
    let firstSearch: number | undefined;
    hubspot.onSearch((n) => {
      firstSearch ??= n;
      if (n === firstSearch)
        hubspot.failNext("/crm/v3/objects/contacts/search", { status: 502, times: 6 });
    });
    const died = await sync(workspace);
    hubspot.onSearch(undefined);
    expect(died.error).toContain("HubSpot is not answering");
    // The first page re-reads the contact at the old cursor, then 199 new ones.
    expect(died.counts.leadsCreated).toBe(199);
    expect(await cursorOf(workspace, "contacts")).toEqual(new Date(base + 198));

    const resumed = await sync(workspace);
    expect(resumed.error).toBeNull();
    expect(resumed.counts).toMatchObject({ leadsCreated: 251, leadsUpdated: 0 });
    expect((await leadIds(workspace)).length).toBe(451);
  });
});
