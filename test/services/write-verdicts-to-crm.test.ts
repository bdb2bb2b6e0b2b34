import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CrmConfig } from "../../src/config.ts";
import { createRepositories } from "../../src/db/repositories/index.ts";
import type { CrmCredentials, CrmKind } from "../../src/domain/crm-connection.ts";
import { HUBSPOT_VERDICT_PROPERTIES } from "../../src/domain/crm-verdict-write.ts";
import type { Verdict } from "../../src/domain/verdict.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import type { Logger } from "../../src/log.ts";
import { connectCrm } from "../../src/services/connect-crm.ts";
import { crmStatus } from "../../src/services/crm-status.ts";
import { disconnectCrm } from "../../src/services/disconnect-crm.ts";
import { recordVerdict } from "../../src/services/record-verdict.ts";
import { writeVerdictsToCrm } from "../../src/services/write-verdicts-to-crm.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../fakes/fake-salesforce.ts";
import { FAST_HUBSPOT, SALESFORCE_APP } from "../support/crm-sync.ts";
import { newWorkspace, suiteDatabase, uniqueId } from "../support/database.ts";

const KEY = Buffer.alloc(32, 7);
const REP = "U0REP";
const HUBSPOT_APP = { clientId: "hs-client", clientSecret: "hs-secret" };
const SF_FIELDS = [
  "Leadfit_Verdict__c",
  "Leadfit_Reasons__c",
  "Leadfit_Judged_By__c",
  "Leadfit_Judged_At__c",
  "Leadfit_Met_Definition__c",
];
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe("Verdicts written back to the CRM", () => {
  const { db } = suiteDatabase();
  let hubspot: FakeHubSpot;
  let salesforce: FakeSalesforce;
  let now: Date;
  const crm = (): CrmConfig => ({
    encryptionKey: KEY,
    hubspot: { apiUrl: hubspot.url, app: HUBSPOT_APP },
    salesforce: { loginUrl: salesforce.url, app: SALESFORCE_APP },
  });
  const deps = () => {
    const repos = createRepositories(db);
    return {
      db,
      repos,
      config: { crm: crm() },
      now: () => now,
      log: quiet,
      tuning: { hubspotLimits: FAST_HUBSPOT, backoffMs: 1 },
    };
  };
  const drain = () => writeVerdictsToCrm(deps());

  /** This test's workspaces: their writes still waiting are dropped after it (its fakes close). */
  let workspaces: string[] = [];
  async function workspaceOfTest(): Promise<Workspace> {
    const workspace = await newWorkspace(db.prisma);
    workspaces.push(workspace.id);
    return workspace;
  }

  /** A workspace of this test connected to the CRM; `verdicts`: where Salesforce writes them. */
  async function connected(credentials: CrmCredentials, verdicts?: unknown): Promise<Workspace> {
    const workspace = await workspaceOfTest();
    await connectCrm(deps(), {
      workspaceId: workspace.id,
      credentials,
      connectedBy: "cli",
      verdicts,
    });
    return workspace;
  }

  /** The shared fake Salesforce org's current session. */
  const salesforceSession = () => ({
    kind: "salesforce" as const,
    instanceUrl: salesforce.url,
    accessToken: salesforce.accessToken(),
  });

  async function newLead(workspace: Workspace, externalId: string, from: CrmKind | null) {
    return db.prisma.lead.create({
      data: {
        workspaceId: workspace.id,
        externalId,
        email: `${uniqueId("l").toLowerCase()}@acme.example`,
        createdAt: now,
        crm: from,
        definitionStatus: "met",
      },
    });
  }

  async function judge(
    workspace: Workspace,
    leadId: string,
    verdict: Verdict,
    reasons: string[] = [],
  ) {
    const recorded = await recordVerdict(
      { repos: createRepositories(db), now: () => now },
      {
        workspaceId: workspace.id,
        leadId,
        verdict,
        reasons,
        note: null,
        userId: REP,
        requestKey: `action:${randomUUID()}`,
      },
    );
    if (recorded.repeat) throw new Error("a new verdict was taken for a repeat");
    return recorded.value;
  }

  const writesOf = (workspace: Workspace) =>
    db.prisma.crmVerdictWrite.findMany({
      where: { workspaceId: workspace.id },
      orderBy: { feedbackId: "asc" },
    });
  const connectionOf = (workspace: Workspace) =>
    db.prisma.crmConnection.findUniqueOrThrow({ where: { workspaceId: workspace.id } });
  const patches = (id: string) =>
    hubspot.calls(`/crm/v3/objects/contacts/${id}`).filter((c) => c.method === "PATCH");

  beforeAll(async () => {
    salesforce = await startFakeSalesforce({ refreshToken: "5Aep-refresh", ...SALESFORCE_APP });
  });
  beforeEach(async () => {
    now = new Date();
    hubspot = await startFakeHubSpot({ ...FAST_HUBSPOT, refreshTokens: ["hs-refresh"] });
  });
  afterEach(async () => {
    await db.prisma.crmVerdictWrite.deleteMany({ where: { workspaceId: { in: workspaces } } });
    workspaces = [];
    await hubspot.close();
  });
  afterAll(() => salesforce.close());

  it("holds a claimed write for the claim duration the drain is given, a minute by default", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-claim" });
    const lead = await newLead(workspace, "601", "hubspot");
    const verdict = await judge(workspace, lead.id, "fit");
    const { crmVerdictWrites } = createRepositories(db);
    const claimedAt = (at: Date, claimMs?: number) =>
      crmVerdictWrites
        .claim(at, 100, claimMs)
        .then((due) => due.filter((w) => w.feedbackId === BigInt(verdict.id)).length);
    const later = (ms: number) => new Date(now.getTime() + ms);

    // Claimed by a drain that then stops (killed mid-write): held for its claim, then due again.
    expect(await claimedAt(now, 2_000)).toBe(1);
    expect(await claimedAt(later(1_999))).toBe(0);
    expect(await claimedAt(later(2_000))).toBe(1);
    // That claim took the default: a minute.
    expect(await claimedAt(later(61_999))).toBe(0);
    expect(await claimedAt(later(62_000))).toBe(1);
  });

  it("HubSpot: creates Leadfit's properties once, then writes each verdict once, only for leads from HubSpot", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-1" });
    hubspot.upsertContact("501", { email: "maya@northwind.io" });
    const fromHubSpot = await newLead(workspace, "501", "hubspot");
    const fromApi = await newLead(workspace, "API-7", null);

    const verdict = await judge(workspace, fromHubSpot.id, "not_fit", [
      "company_too_small",
      "no_budget",
    ]);
    await judge(workspace, fromApi.id, "fit");
    // Queued with the verdict, in the same statement: only the lead that came from HubSpot.
    expect(await writesOf(workspace)).toMatchObject([
      { feedbackId: BigInt(verdict.id), status: "pending", crm: "hubspot" },
    ]);

    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    expect(hubspot.propertyGroups()).toEqual(["leadfit"]);
    expect(hubspot.properties()).toEqual(HUBSPOT_VERDICT_PROPERTIES.map((p) => p.name));
    expect(hubspot.contact("501")?.properties).toMatchObject({
      leadfit_verdict: "not_fit",
      leadfit_reasons: "Company too small; No budget",
      leadfit_judged_by: REP,
      leadfit_judged_at: now.toISOString(),
      leadfit_met_definition: "met",
    });
    expect(await writesOf(workspace)).toMatchObject([{ status: "sent", lastError: null }]);
    expect((await connectionOf(workspace)).verdictsWritten).toBe(1);

    // Nothing is written twice; a second verdict does not create the properties again.
    expect(await drain()).toEqual({ written: 0, retrying: 0, failed: 0 });
    await judge(workspace, fromHubSpot.id, "fit");
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    expect(patches("501")).toHaveLength(2);
    expect(hubspot.calls("/crm/v3/properties/contacts/groups")).toHaveLength(1);
    expect(hubspot.contact("501")?.properties).toMatchObject({
      leadfit_verdict: "fit",
      leadfit_reasons: "",
    });
    expect((await connectionOf(workspace)).verdictsWritten).toBe(2);
  });

  it("HubSpot: a lead's verdicts reach the contact in the order they were given", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-1" });
    hubspot.upsertContact("601", { email: "a@acme.example" });
    const lead = await newLead(workspace, "601", "hubspot");
    await judge(workspace, lead.id, "not_yet");
    await judge(workspace, lead.id, "not_fit", ["no_need"]);
    await judge(workspace, lead.id, "fit");
    expect(await drain()).toMatchObject({ written: 3 });
    expect(patches("601").map((c) => (c.body as { properties: object }).properties)).toMatchObject([
      { leadfit_verdict: "not_yet" },
      { leadfit_verdict: "not_fit" },
      { leadfit_verdict: "fit" },
    ]);
  });

  it("HubSpot: waits out a 429's Retry-After, renews an expired OAuth token, and backs off when the CRM stays down", async () => {
    const workspace = await connected({
      kind: "hubspot",
      accessToken: "oauth-access-0",
      refreshToken: "hs-refresh",
    });
    hubspot.upsertContact("701", { email: "b@acme.example" });
    const lead = await newLead(workspace, "701", "hubspot");
    await judge(workspace, lead.id, "fit");
    hubspot.failNext("/crm/v3/objects/contacts/701", {
      status: 429,
      headers: { "Retry-After": "1" },
      body: { status: "error", message: "You have reached your ten_secondly_rolling limit." },
    });
    hubspot.expire("oauth-access-0");
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    const [limited, renewed] = patches("701").slice(-2);
    expect(renewed?.token).toBe("oauth-access-1");
    expect((renewed?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);

    await judge(workspace, lead.id, "not_yet");
    hubspot.failNext("/crm/v3/objects/contacts/701", { status: 503, times: 50 });
    expect(await drain()).toEqual({ written: 0, retrying: 1, failed: 0 });
    const [, waiting] = await writesOf(workspace);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting?.lastError).toMatch(/HubSpot is not answering/);
    expect(waiting?.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);
    // Not due yet: nothing is tried before its time.
    expect(await drain()).toEqual({ written: 0, retrying: 0, failed: 0 });
    // The renewed token was kept: the next try used it without renewing again.
    expect(patches("701").at(-1)?.token).toBe("oauth-access-1");
  });

  it("HubSpot: a refused write does not hold up the next and has the properties checked again; a CRM that is down holds the rest of the round", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-1" });
    const groupsCreated = () => hubspot.calls("/crm/v3/properties/contacts/groups").length;
    for (const id of ["922", "923"]) hubspot.upsertContact(id, { email: `${id}@acme.example` });
    const [deleted, kept, other] = [
      await newLead(workspace, "921", "hubspot"),
      await newLead(workspace, "922", "hubspot"),
      await newLead(workspace, "923", "hubspot"),
    ];
    await judge(workspace, deleted.id, "fit");
    await judge(workspace, kept.id, "fit");
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 1 });
    expect(groupsCreated()).toBe(1);

    // Someone may have deleted a property: after a refusal they are made sure of again.
    await judge(workspace, kept.id, "not_yet");
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    expect(groupsCreated()).toBe(2);

    hubspot.failNext("/crm/v3/objects/contacts/922", { status: 503, times: 200 });
    await judge(workspace, kept.id, "fit");
    await judge(workspace, other.id, "fit");
    expect(await drain()).toEqual({ written: 0, retrying: 2, failed: 0 });
    expect(patches("923")).toHaveLength(0);
    // A CRM that is down refused nothing: the properties are not checked again.
    now = new Date(now.getTime() + 61_000);
    expect(await drain()).toEqual({ written: 0, retrying: 2, failed: 0 });
    expect(groupsCreated()).toBe(2);
  });

  it("backs off one minute doubling up to an hour, and gives a write up on its 30th try", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-1" });
    hubspot.upsertContact("931", { email: "g@acme.example" });
    const lead = await newLead(workspace, "931", "hubspot");
    await judge(workspace, lead.id, "fit");
    hubspot.failNext("/crm/v3/objects/contacts/931", { status: 503, times: 200 });
    const triedBefore = (attempts: number) =>
      db.prisma.crmVerdictWrite.updateMany({
        where: { workspaceId: workspace.id },
        data: { attempts, nextAttemptAt: now },
      });

    await triedBefore(3);
    expect(await drain()).toEqual({ written: 0, retrying: 1, failed: 0 });
    const [fourth] = await writesOf(workspace);
    expect(fourth?.nextAttemptAt.getTime()).toBe(now.getTime() + 8 * 60_000);

    await triedBefore(29);
    expect(await drain()).toEqual({ written: 0, retrying: 0, failed: 1 });
    const [given] = await writesOf(workspace);
    expect(given).toMatchObject({ status: "failed", attempts: 30 });
    expect(given?.lastError).toMatch(/HubSpot is not answering/);
  });

  it("fails the writes for a CRM the workspace is no longer connected to, naming it, without calling the new one", async () => {
    salesforce.upsert("Lead", { Id: "00Q000000000941", Email: "h@acme.example" });
    const workspace = await connected(salesforceSession());
    const fromSalesforce = await newLead(workspace, "00Q000000000941", "salesforce");
    await judge(workspace, fromSalesforce.id, "fit");
    await connectCrm(deps(), {
      workspaceId: workspace.id,
      credentials: { kind: "hubspot", accessToken: "pat-1" },
      connectedBy: "cli",
    });
    expect(await drain()).toEqual({ written: 0, retrying: 0, failed: 1 });
    expect((await writesOf(workspace))[0]?.lastError).toBe(
      "The workspace is no longer connected to Salesforce: connect it again, then retry.",
    );
    expect(hubspot.propertyGroups()).toEqual([]);

    const fromHubSpot = await newLead(workspace, "942", "hubspot");
    await judge(workspace, fromHubSpot.id, "fit");
    await disconnectCrm(deps(), { workspaceId: workspace.id, actor: "cli" });
    expect(await drain()).toEqual({ written: 0, retrying: 0, failed: 1 });
    expect((await writesOf(workspace))[1]?.lastError).toBe(
      "The workspace is no longer connected to HubSpot: connect it again, then retry.",
    );
  });

  it("fails the writes when the CRM's credentials cannot be opened (another encryption key), saying so", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-1" });
    const lead = await newLead(workspace, "951", "hubspot");
    await judge(workspace, lead.id, "fit");
    const otherKey = {
      ...deps(),
      config: { crm: { ...crm(), encryptionKey: Buffer.alloc(32, 8) } },
    };
    expect(await writeVerdictsToCrm(otherKey)).toEqual({ written: 0, retrying: 0, failed: 1 });
    expect((await writesOf(workspace))[0]?.lastError).toContain(
      "The CRM credentials cannot be opened",
    );
  });

  it("writes a reason retired since the verdict under its label", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-1" });
    hubspot.upsertContact("961", { email: "i@acme.example" });
    const lead = await newLead(workspace, "961", "hubspot");
    await judge(workspace, lead.id, "not_fit", ["no_budget"]);
    await createRepositories(db).reasons.retire(workspace.id, "no_budget", now);
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    expect(hubspot.contact("961")?.properties.leadfit_reasons).toBe("No budget");
  });

  it("HubSpot: a deleted contact is a failed write with HubSpot's message; retried by an admin once fixed", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-1" });
    const lead = await newLead(workspace, "801", "hubspot");
    await judge(workspace, lead.id, "fit");
    expect(await drain()).toEqual({ written: 0, retrying: 0, failed: 1 });
    const [failed] = await writesOf(workspace);
    expect(failed?.status).toBe("failed");
    expect(failed?.lastError).toContain("answered 404: resource not found");
    // Admins see it (App Home, `leadfit crm status`).
    expect(await crmStatus(deps(), { workspaceId: workspace.id })).toMatchObject({
      writes: { pending: 0, written: 0, failed: 1 },
      failedWrites: [{ email: lead.email, verdict: "fit", lastError: failed?.lastError }],
    });

    hubspot.upsertContact("801", { email: lead.email });
    expect(await createRepositories(db).crmVerdictWrites.retryFailed(workspace.id, now)).toBe(1);
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    expect(hubspot.contact("801")?.properties.leadfit_verdict).toBe("fit");
  });

  it("Salesforce: writes Leadfit's fields on the Lead, renews an expired session, waits when the org's allowance is used up", async () => {
    salesforce.upsert("Lead", { Id: "00Q000000000901", Email: "c@acme.example" });
    for (const field of SF_FIELDS) salesforce.addField("Lead", field);
    const workspace = await connected({ ...salesforceSession(), refreshToken: "5Aep-refresh" });
    const lead = await newLead(workspace, "00Q000000000901", "salesforce");
    await judge(workspace, lead.id, "not_fit", ["wrong_industry"]);
    salesforce.expireSession();
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    expect(salesforce.record("Lead", "00Q000000000901")).toMatchObject({
      Leadfit_Verdict__c: "not_fit",
      Leadfit_Reasons__c: "Wrong industry",
      Leadfit_Judged_By__c: REP,
      Leadfit_Judged_At__c: now.toISOString(),
      Leadfit_Met_Definition__c: "met",
    });

    await judge(workspace, lead.id, "fit");
    salesforce.failNext("/services/data/", {
      status: 403,
      body: [{ errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded." }],
    });
    expect(await drain()).toEqual({ written: 0, retrying: 1, failed: 0 });
    const [, waiting] = await writesOf(workspace);
    expect(waiting?.lastError).toMatch(/allowance is used up/);
    now = new Date(now.getTime() + 61_000);
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    expect(salesforce.record("Lead", "00Q000000000901")).toMatchObject({
      Leadfit_Verdict__c: "fit",
      Leadfit_Reasons__c: null,
    });
  });

  it("Salesforce with verdicts as Lead Status: each verdict sets the Status the admin named and the reasons in the named field; a value the picklist refuses fails with Salesforce's message", async () => {
    salesforce.upsert("Lead", { Id: "00Q000000000903", Email: "e@acme.example" });
    salesforce.addField("Lead", "Leadfit_Reason__c");
    salesforce.restrictPicklist("Lead", "Status", [
      "Open - Not Contacted",
      "Working - Contacted",
      "Nurturing",
      "Closed - Not Converted",
    ]);
    const status = { fit: "Working - Contacted", not_yet: "Nurturing", not_fit: "Disqualified" };
    const workspace = await connected(salesforceSession(), {
      fields: "status",
      status,
      reasonField: "Leadfit_Reason__c",
    });
    const lead = await newLead(workspace, "00Q000000000903", "salesforce");
    await judge(workspace, lead.id, "not_yet");
    expect(await drain()).toEqual({ written: 1, retrying: 0, failed: 0 });
    const record = salesforce.record("Lead", "00Q000000000903");
    expect(record).toMatchObject({ Status: "Nurturing", Leadfit_Reason__c: null });
    expect(record).not.toHaveProperty("Leadfit_Verdict__c");

    await judge(workspace, lead.id, "not_fit", ["wrong_industry"]);
    expect(await drain()).toEqual({ written: 0, retrying: 0, failed: 1 });
    const [, refused] = await writesOf(workspace);
    expect(refused?.lastError).toContain("bad value for restricted picklist field: Disqualified");
    expect(salesforce.record("Lead", "00Q000000000903")).toMatchObject({ Status: "Nurturing" });
  });

  it("refuses verdicts as Lead Status for HubSpot, and a status mapping missing a verdict, naming the field", async () => {
    const workspace = await workspaceOfTest();
    const attempt = (credentials: CrmCredentials, verdicts: unknown) =>
      connectCrm(deps(), {
        workspaceId: workspace.id,
        credentials,
        connectedBy: "cli",
        verdicts,
      }).then(
        () => "connected",
        (error: Error & { userMessage?: string }) => error.userMessage ?? error.message,
      );
    const status = { fit: "Working", not_yet: "Nurturing", not_fit: "Closed" };
    expect(
      await attempt(
        { kind: "hubspot", accessToken: "t" },
        { fields: "status", status, reasonField: "Reason__c" },
      ),
    ).toContain("verdicts: Lead Status is Salesforce's");
    expect(
      await attempt(salesforceSession(), {
        fields: "status",
        status: { fit: "Working" },
        reasonField: "Reason__c",
      }),
    ).toContain("verdicts.status.not_yet");
    expect(await db.prisma.crmConnection.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });

  it("Salesforce: a Lead without Leadfit's fields is a failed write naming the missing field", async () => {
    salesforce.upsert("Lead", { Id: "00Q000000000902", Email: "d@acme.example" });
    const workspace = await connected(salesforceSession());
    const lead = await newLead(workspace, "00Q000000000902", "salesforce");
    await judge(workspace, lead.id, "fit");
    // The shared fake org has the fields (an earlier test added them): it answers as one without.
    salesforce.failNext("/services/data/", {
      status: 400,
      body: [
        {
          errorCode: "INVALID_FIELD",
          message: "No such column 'Leadfit_Verdict__c' on sobject of type Lead",
        },
      ],
    });
    expect(await drain()).toEqual({ written: 0, retrying: 0, failed: 1 });
    const [failed] = await writesOf(workspace);
    expect(failed?.lastError).toContain("No such column 'Leadfit_Verdict__c'");
  });

  it("a verdict on a lead from a CRM the workspace is no longer connected to is not queued", async () => {
    const workspace = await connected({ kind: "hubspot", accessToken: "pat-1" });
    const lead = await newLead(workspace, "00Q000000000903", "salesforce");
    await judge(workspace, lead.id, "fit");
    expect(await writesOf(workspace)).toEqual([]);
  });
});
