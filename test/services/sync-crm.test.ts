import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { openCredentials } from "../../src/domain/crm-connection.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { syncCrm } from "../../src/services/sync-crm.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../fakes/fake-salesforce.ts";
import {
  CRM_TEST_KEY,
  connectedWorkspace,
  crmSyncDeps,
  crmTestConfig,
  FAST_HUBSPOT,
  SALESFORCE_APP,
} from "../support/crm-sync.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

const DAY = 86_400_000;

describe("CRM sync: leads in", () => {
  const { db } = suiteDatabase();
  let hubspot: FakeHubSpot;
  let salesforce: FakeSalesforce;
  const crm = () => crmTestConfig({ hubspot: hubspot.url, salesforce: salesforce.url });
  const deps = () => crmSyncDeps(db, crm());
  const depsAt = (at: Date) => ({ ...deps(), now: () => at });
  const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
  const leadsOf = (workspace: Workspace) =>
    db.prisma.lead.findMany({
      where: { workspaceId: workspace.id },
      orderBy: { externalId: "asc" },
    });

  const connectionOf = (workspace: Workspace) =>
    db.prisma.crmConnection.findUniqueOrThrow({ where: { workspaceId: workspace.id } });

  const connectedHubSpot = () =>
    connectedWorkspace(db, crm(), { kind: "hubspot", accessToken: "pat-na1-test" });

  beforeAll(async () => {
    salesforce = await startFakeSalesforce({ refreshToken: "5Aep-refresh", ...SALESFORCE_APP });
  });
  // One HubSpot portal per test: each test's workspace syncs all of it.
  beforeEach(async () => {
    hubspot = await startFakeHubSpot(FAST_HUBSPOT);
  });
  afterEach(() => hubspot.close());
  afterAll(() => salesforce.close());

  it("backfills HubSpot contacts of the last 90 days with owners' emails, then only what changed", async () => {
    const workspace = await connectedHubSpot();
    await db.prisma.workspace.update({
      where: { id: workspace.id },
      data: { salesChannelId: "C0SALES01" },
    });
    hubspot.addOwner({ id: "77", email: "rep@acme.test" });
    hubspot.upsertContact(
      "101",
      {
        email: "Maya@Northwind.io",
        firstname: "Maya",
        lastname: "Chen",
        company: "Northwind",
        jobtitle: "CTO",
        hubspot_owner_id: "77",
        utm_campaign: "q4-webinar",
        numemployees: "250",
      },
      daysAgo(10),
    );
    hubspot.upsertContact("102", { email: "old@example.com" }, daysAgo(120));
    hubspot.upsertContact("103", { firstname: "No email" }, daysAgo(5));

    const first = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(first).toMatchObject({
      kind: "synced",
      error: null,
      skipped: 1,
      firstSkipReason: "103: email: A valid email address",
    });
    expect(first.counts.leadsCreated).toBe(1);
    const [maya] = await leadsOf(workspace);
    expect(maya).toMatchObject({
      externalId: "101",
      email: "maya@northwind.io",
      name: "Maya Chen",
      company: "Northwind",
      title: "CTO",
      owner: "rep@acme.test",
      // Its verdicts are written back to HubSpot.
      crm: "hubspot",
    });
    expect(maya?.fields).toMatchObject({ numemployees: "250" });
    // A backfill queues no card per lead: the leads wait on App Home.
    expect(await db.prisma.cardOutbox.count({ where: { workspaceId: workspace.id } })).toBe(0);

    hubspot.upsertContact("101", { jobtitle: "CEO" });
    hubspot.upsertContact("104", { email: "new@example.com" });
    const second = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(second.counts).toMatchObject({ leadsCreated: 1, leadsUpdated: 1 });
    // Once the contacts have a cursor, a new one is a new lead: its card goes to sales.
    const cards = await db.prisma.cardOutbox.findMany({
      where: { workspaceId: workspace.id },
      select: { kind: true, leadId: true },
    });
    const added = (await leadsOf(workspace)).find((l) => l.externalId === "104");
    expect(cards).toEqual([{ kind: "lead_card", leadId: added?.id }]);
    expect((await leadsOf(workspace)).map((l) => [l.externalId, l.title])).toEqual([
      ["101", "CEO"],
      ["104", null],
    ]);
    const status = await connectionOf(workspace);
    expect(status).toMatchObject({ leadsCreated: 2, leadsUpdated: 1, lastError: null });
    expect(status.lastSyncAt).not.toBeNull();
  });

  it("never skips a contact when another changes between pages", async () => {
    const workspace = await connectedHubSpot();
    const base = daysAgo(30).getTime();
    for (let i = 0; i < 450; i++) {
      hubspot.upsertContact(
        String(1000 + i),
        { email: `bulk${i}@example.com` },
        new Date(base + i * 1000),
      );
    }
    // After the first page, a contact already read changes: an offset-paged search would now
    // skip the contact that slides into its place.
    hubspot.onSearch((n) => {
      if (n === 1) hubspot.upsertContact("1005", { jobtitle: "Changed mid-sync" });
    });
    try {
      await syncCrm(deps(), { workspaceId: workspace.id });
    } finally {
      hubspot.onSearch(undefined);
    }
    const leads = await leadsOf(workspace);
    const ids = new Set(leads.map((l) => l.externalId));
    const missing = Array.from({ length: 450 }, (_, i) => String(1000 + i)).filter(
      (id) => !ids.has(id),
    );
    expect(missing).toEqual([]);
    expect(leads.find((l) => l.externalId === "1005")?.title).toBe("Changed mid-sync");
  });

  it("follows merged and deleted contacts", async () => {
    const workspace = await connectedHubSpot();
    hubspot.upsertContact("201", { email: "a@merge.test" }, daysAgo(3));
    hubspot.upsertContact("202", { email: "a2@merge.test" }, daysAgo(3));
    hubspot.upsertContact("203", { email: "gone@merge.test" }, daysAgo(3));
    await syncCrm(deps(), { workspaceId: workspace.id });
    expect((await leadsOf(workspace)).map((l) => l.externalId)).toEqual(["201", "202", "203"]);
    hubspot.mergeContacts("201", "202");
    hubspot.archiveContact("203");
    const report = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(report.counts).toMatchObject({ leadsCreated: 0, leadsRemoved: 2 });
    expect((await leadsOf(workspace)).map((l) => l.externalId)).toEqual(["201"]);
  });

  it("records a failing CRM on the connection and keeps the cursor of what was stored", async () => {
    const workspace = await connectedHubSpot();
    hubspot.upsertContact("301", { email: "kept@fail.test" }, daysAgo(2));
    await syncCrm(deps(), { workspaceId: workspace.id });
    const before = await connectionOf(workspace);
    hubspot.failNext("/crm/v3/objects/contacts/search", { status: 502, times: 20 });
    const report = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(report.error).toContain("HubSpot is not answering");
    const after = await connectionOf(workspace);
    expect(after.lastError).toContain("HubSpot is not answering");
    expect(after.cursors).toEqual(before.cursors);
  });

  it("reads the last five minutes before a sync again, for a change the CRM's search shows late", async () => {
    const workspace = await connectedHubSpot();
    hubspot.upsertContact("404", { email: "seen@overlap.test" }, new Date(Date.now() - 60_000));
    await syncCrm(deps(), { workspaceId: workspace.id });
    // Changed before the one already read, but only now found by the search.
    hubspot.upsertContact("405", { email: "late@overlap.test" }, new Date(Date.now() - 180_000));
    await syncCrm(deps(), { workspaceId: workspace.id });
    expect((await leadsOf(workspace)).map((l) => l.externalId)).toEqual(["404", "405"]);
  });

  it("leaves out a record whose lead was erased on request, counted as skipped", async () => {
    const workspace = await connectedHubSpot();
    hubspot.upsertContact("406", { email: "erased@privacy.test" }, daysAgo(2));
    hubspot.upsertContact("407", { email: "kept@privacy.test" }, daysAgo(2));
    await db.prisma.erasedCrmRecord.create({
      data: { workspaceId: workspace.id, crm: "hubspot", externalId: "406" },
    });
    const report = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(report).toMatchObject({
      skipped: 1,
      firstSkipReason: "a record whose lead was erased on request",
    });
    expect((await leadsOf(workspace)).map((l) => l.externalId)).toEqual(["407"]);
  });

  it("refuses a workspace with no CRM connection, saying how to connect one", async () => {
    const workspace = await newWorkspace(db.prisma);
    await expect(syncCrm(deps(), { workspaceId: workspace.id })).rejects.toMatchObject({
      code: "not_found",
      userMessage: "This workspace has no CRM connection: connect HubSpot or Salesforce first.",
    });
  });

  it("leaves a connection another sync holds alone: busy, nothing read, nothing recorded", async () => {
    const workspace = await connectedHubSpot();
    hubspot.upsertContact("401", { email: "wait@busy.test" }, daysAgo(2));
    const heldUntil = new Date(Date.now() + 60_000);
    await createRepositories(db).crmConnections.claimSync(workspace.id, new Date(), heldUntil);
    const report = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(report).toMatchObject({ kind: "busy", error: null });
    expect(hubspot.calls("/crm/v3/objects/contacts/search")).toHaveLength(0);
    expect(await leadsOf(workspace)).toEqual([]);
    expect(await connectionOf(workspace)).toMatchObject({
      syncLeaseUntil: heldUntil,
      lastSyncAt: null,
    });
  });

  it("keeps others out for 15 minutes after a sync died holding the connection, then lets the next take over", async () => {
    const workspace = await connectedHubSpot();
    hubspot.upsertContact("402", { email: "resumed@lease.test" }, daysAgo(2));
    const diedAt = new Date();
    const dying = depsAt(diedAt);
    // The process dies before the sync lets go of the connection.
    vi.spyOn(dying.repos.crmConnections, "finishSync").mockRejectedValue(new Error("killed"));
    await expect(syncCrm(dying, { workspaceId: workspace.id })).rejects.toThrow("killed");
    const minutesLater = (minutes: number) =>
      syncCrm(depsAt(new Date(diedAt.getTime() + minutes * 60_000)), {
        workspaceId: workspace.id,
      });
    expect(await minutesLater(14.9)).toMatchObject({ kind: "busy" });
    expect(await minutesLater(15)).toMatchObject({ kind: "synced", error: null });
  });

  it("forgets every cursor on a full sync, so even a failed one leaves the next to read everything again", async () => {
    const workspace = await connectedHubSpot();
    hubspot.upsertContact("403", { email: "again@full.test" }, daysAgo(2));
    await syncCrm(deps(), { workspaceId: workspace.id });
    expect((await connectionOf(workspace)).cursors).not.toEqual({});
    hubspot.failNext("/crm/v3/objects/contacts/search", { status: 502, times: 20 });
    const full = await syncCrm(deps(), { workspaceId: workspace.id, full: true });
    expect(full.error).toContain("HubSpot is not answering");
    expect((await connectionOf(workspace)).cursors).toEqual({});
  });

  it("passes a fault that is no AppError on to its caller, records that the sync failed and lets go of the connection", async () => {
    const workspace = await connectedHubSpot();
    const broken = deps();
    const fault = new Error("connection to the database lost");
    vi.spyOn(broken.repos.agreedDefinitions, "active").mockRejectedValue(fault);
    await expect(syncCrm(broken, { workspaceId: workspace.id })).rejects.toBe(fault);
    // App Home shows it failed, not a clean sync.
    expect((await broken.repos.crmConnections.get(workspace.id))?.lastError).toMatch(
      /Something went wrong/,
    );
    expect(await syncCrm(deps(), { workspaceId: workspace.id })).toMatchObject({
      kind: "synced",
      error: null,
    });
  });

  it("backfills Salesforce leads (times in +0000, owners by User email), drops deleted ones and stores a renewed token", async () => {
    const created = daysAgo(20);
    salesforce.upsert("Organization", { Id: "00Dfake", Name: "Acme Corp" });
    salesforce.upsert("User", { Id: "005000000000001AAA", Email: "ae@acme.test" });
    salesforce.upsert(
      "Lead",
      {
        Id: "00Q000000000001",
        Email: "jo@globex.test",
        FirstName: "Jo",
        LastName: "Park",
        Company: "Globex",
        Title: "VP Sales",
        OwnerId: "005000000000001AAA",
        LeadSource: "Webinar",
        NumberOfEmployees: 1200,
        Industry: "Manufacturing",
        Country: "US",
        State: "CA",
        AnnualRevenue: 5e7,
        Status: "Open - Not Contacted",
      },
      created,
    );
    salesforce.upsert(
      "Lead",
      { Id: "00Q000000000002", Email: "del@globex.test", OwnerId: null },
      daysAgo(20),
    );
    const workspace = await connectedWorkspace(db, crm(), {
      kind: "salesforce",
      instanceUrl: salesforce.url,
      accessToken: salesforce.accessToken(),
      refreshToken: "5Aep-refresh",
    });
    const backfill = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(backfill).toMatchObject({ error: null, skipped: 0 });
    const [jo] = await leadsOf(workspace);
    expect(jo).toMatchObject({
      externalId: "00Q000000000001",
      name: "Jo Park",
      owner: "ae@acme.test",
    });
    expect(jo?.createdAt).toEqual(created);
    expect(jo?.fields).toMatchObject({ NumberOfEmployees: 1200, Industry: "Manufacturing" });

    salesforce.delete("Lead", "00Q000000000002");
    salesforce.expireSession();
    const report = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(report.error).toBeNull();
    expect((await leadsOf(workspace)).map((l) => l.externalId)).toEqual(["00Q000000000001"]);
    const row = await connectionOf(workspace);
    expect(openCredentials(CRM_TEST_KEY, row.credentials)).toMatchObject({
      accessToken: salesforce.accessToken(),
    });
  });

  // Last: its 2,001 leads stay in the file's fake Salesforce (the earlier tests' records are there).
  it("looks each Salesforce owner up once a sync, however many batches name them", async () => {
    salesforce.upsert("Organization", { Id: "00Dfake", Name: "Acme Corp" });
    const owner = "005000000000077AAA";
    salesforce.upsert("User", { Id: owner, Email: "owner77@acme.test" });
    // More than one queryAll batch of 2,000: the owner is on both.
    for (let n = 0; n < 2_001; n++) {
      salesforce.upsert(
        "Lead",
        { Id: `00Q7${String(n).padStart(11, "0")}`, Email: `l${n}@initech.test`, OwnerId: owner },
        daysAgo(10),
      );
    }
    const workspace = await connectedWorkspace(db, crm(), {
      kind: "salesforce",
      instanceUrl: salesforce.url,
      accessToken: salesforce.accessToken(),
      refreshToken: "5Aep-refresh",
    });
    const userQueries = () =>
      salesforce.calls().filter((c) => /\bFROM User\b/.test(c.query.get("q") ?? "")).length;
    const before = userQueries();
    const report = await syncCrm(deps(), { workspaceId: workspace.id });
    expect(report.error).toBeNull();
    // A second batch was read (queryMore, at the first batch's nextRecordsUrl).
    expect(salesforce.calls().filter((c) => c.path.includes("/query/")).length).toBeGreaterThan(0);
    expect(userQueries() - before).toBe(1);
    const batched = (await leadsOf(workspace)).filter((l) => l.externalId.startsWith("00Q7"));
    expect(batched).toHaveLength(2_001);
    expect(new Set(batched.map((l) => l.owner))).toEqual(new Set(["owner77@acme.test"]));
  });
});
