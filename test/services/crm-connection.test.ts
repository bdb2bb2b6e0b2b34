import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CrmConfig } from "../../src/config.ts";
import { CrmConnectionRepository } from "../../src/db/repositories/crm-connection-repository.ts";
import { CrmVerdictWriteRepository } from "../../src/db/repositories/crm-verdict-write-repository.ts";
import { isAppError } from "../../src/domain/app-error.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { connectCrm } from "../../src/services/connect-crm.ts";
import { connectCrmFromHome } from "../../src/services/connect-crm-from-home.ts";
import { crmStatus } from "../../src/services/crm-status.ts";
import { disconnectCrm } from "../../src/services/disconnect-crm.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../fakes/fake-salesforce.ts";
import { storedCredentials } from "../support/crm-sync.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

const KEY = Buffer.alloc(32, 9);
const NOW = new Date("2026-12-01T10:00:00Z");

async function failure(work: Promise<unknown>): Promise<{ code: string; userMessage: string }> {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("CRM connection: connect, status, disconnect", () => {
  const { db } = suiteDatabase();
  let crmConnections: CrmConnectionRepository;
  let hubspot: FakeHubSpot;
  let salesforce: FakeSalesforce;
  const crm = (encryptionKey: Buffer | null = KEY): CrmConfig => ({
    encryptionKey: encryptionKey ?? undefined,
    hubspot: { apiUrl: hubspot.url, app: undefined },
    salesforce: { loginUrl: salesforce.url, app: undefined },
  });
  const deps = () => ({
    db,
    repos: { crmConnections, crmVerdictWrites: new CrmVerdictWriteRepository(db.prisma) },
    config: { crm: crm() },
    now: () => NOW,
  });
  beforeAll(async () => {
    crmConnections = new CrmConnectionRepository(db.prisma);
    hubspot = await startFakeHubSpot({
      portalId: 4455,
      tokens: ["pat-na1-very-secret", "t", "t1"],
    });
    salesforce = await startFakeSalesforce({ accessToken: "t2" });
    salesforce.upsert("Organization", { Id: "00Dfake", Name: "Acme Corp" });
  });
  afterAll(async () => {
    await hubspot.close();
    await salesforce.close();
  });

  it("stores the credentials sealed, and shows everything but them", async () => {
    const workspace = await newWorkspace(db.prisma);
    const summary = await connectCrm(deps(), {
      workspaceId: workspace.id,
      credentials: { kind: "hubspot", accessToken: "pat-na1-very-secret" },
      connectedBy: "U0ADMIN",
    });
    expect(summary).toMatchObject({
      kind: "hubspot",
      account: "portal 4455",
      backfillDays: 90,
      connectedAt: NOW,
      lastSyncAt: null,
      cursors: {},
    });
    expect(JSON.stringify(summary)).not.toContain("very-secret");
    const status = await crmStatus(deps(), { workspaceId: workspace.id });
    expect(status).toEqual({
      connection: summary,
      writes: { pending: 0, written: 0, failed: 0 },
      failedWrites: [],
    });
    const { sealed, open } = await storedCredentials(db.prisma, workspace.id, KEY);
    expect(sealed).not.toContain("very-secret");
    expect(open).toEqual({
      kind: "hubspot",
      accessToken: "pat-na1-very-secret",
    });
    const audit = await db.prisma.auditEntry.findMany({ where: { workspaceId: workspace.id } });
    expect(audit.map((a) => a.action)).toEqual(["crm.connected"]);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain("very-secret");
  });

  it("refuses to connect without an encryption key, saying how to make one", async () => {
    const workspace = await newWorkspace(db.prisma);
    const error = await failure(
      connectCrm(
        { ...deps(), config: { crm: crm(null) } },
        {
          workspaceId: workspace.id,
          credentials: { kind: "hubspot", accessToken: "pat-na1-x" },
          connectedBy: "cli",
        },
      ),
    );
    expect(error.code).toBe("encryption_key_missing");
    expect(error.userMessage).toContain("openssl rand -base64 32");
    expect(await crmStatus(deps(), { workspaceId: workspace.id })).toBeUndefined();
  });

  it("from App Home: an unset encryption key or a non-admin refused, with the field to show it beside", async () => {
    const workspace = await newWorkspace(db.prisma);
    const admins = { isAdmin: async (_w: Workspace, userId: string) => userId === "U0ADMIN" };
    const log = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
    const fromHome = (encryptionKey: Buffer | null, userId: string) =>
      connectCrmFromHome(
        { ...deps(), config: { crm: crm(encryptionKey) }, admins, log },
        {
          workspace,
          userId,
          credentials: { kind: "hubspot", accessToken: "pat-na1-very-secret" },
          backfillDays: 90,
        },
      ).outcome;
    expect(await fromHome(null, "U0ADMIN")).toMatchObject({
      connected: false,
      field: "token",
      message: expect.stringContaining("Set LEADFIT_ENCRYPTION_KEY"),
    });
    const notAdmin = await fromHome(KEY, "U0SOMEONE");
    expect(notAdmin).toMatchObject({ connected: false, field: undefined });
    expect(JSON.stringify(notAdmin.view)).toContain("Only Leadfit admins");
    expect(await crmStatus(deps(), { workspaceId: workspace.id })).toBeUndefined();
    expect(await fromHome(KEY, "U0ADMIN")).toMatchObject({ connected: true });
    expect((await crmStatus(deps(), { workspaceId: workspace.id }))?.connection).toMatchObject({
      connectedBy: "U0ADMIN",
      account: "portal 4455",
    });
  });

  it("refuses a backfill of no days and malformed credentials", async () => {
    const workspace = await newWorkspace(db.prisma);
    const base = { workspaceId: workspace.id, connectedBy: "cli" };
    expect(
      (
        await failure(
          connectCrm(deps(), {
            ...base,
            credentials: { kind: "hubspot", accessToken: "t" },
            backfillDays: 0,
          }),
        )
      ).code,
    ).toBe("invalid_request");
    const malformed = await failure(
      connectCrm(deps(), {
        ...base,
        credentials: { kind: "salesforce", instanceUrl: "acme", accessToken: "t" },
      }),
    );
    expect(malformed.userMessage).toContain("instanceUrl");
  });

  it("replaces a connection with a new one, then disconnects it and forgets the credentials", async () => {
    const workspace = await newWorkspace(db.prisma);
    const base = { workspaceId: workspace.id, connectedBy: "cli" };
    await connectCrm(deps(), {
      ...base,
      credentials: { kind: "hubspot", accessToken: "t1" },
    });
    await crmConnections.recordPage(workspace.id, {
      cursor: { object: "contacts", modifiedSince: NOW },
      counts: { leadsCreated: 3 },
    });
    const replaced = await connectCrm(deps(), {
      ...base,
      credentials: {
        kind: "salesforce",
        instanceUrl: salesforce.url,
        accessToken: "t2",
      },
      backfillDays: 30,
    });
    expect(replaced).toMatchObject({
      kind: "salesforce",
      account: "Acme Corp",
      backfillDays: 30,
      cursors: {},
    });
    expect(replaced.counts.leadsCreated).toBe(0);
    expect(await disconnectCrm(deps(), { workspaceId: workspace.id, actor: "cli" })).toBe(
      "salesforce",
    );
    expect(await db.prisma.crmConnection.count({ where: { workspaceId: workspace.id } })).toBe(0);
    expect(
      (await failure(disconnectCrm(deps(), { workspaceId: workspace.id, actor: "cli" }))).code,
    ).toBe("not_found");
  });

  it("records a page's cursor and counts, and lets one sync hold the connection at a time", async () => {
    const workspace = await newWorkspace(db.prisma);
    await connectCrm(deps(), {
      workspaceId: workspace.id,
      credentials: { kind: "hubspot", accessToken: "t" },
      connectedBy: "cli",
    });
    await crmConnections.recordPage(workspace.id, {
      cursor: { object: "contacts", modifiedSince: new Date("2026-11-30T00:00:00Z") },
      counts: { leadsCreated: 2, leadsUpdated: 1 },
    });
    await crmConnections.recordPage(workspace.id, {
      cursor: { object: "contacts", modifiedSince: new Date("2026-11-30T01:00:00Z") },
      counts: { leadsCreated: 1 },
    });
    const status = await crmStatus(deps(), { workspaceId: workspace.id });
    expect(status?.connection.cursors).toEqual({
      contacts: { modifiedSince: "2026-11-30T01:00:00.000Z" },
    });
    expect(status?.connection.counts).toMatchObject({ leadsCreated: 3, leadsUpdated: 1 });

    const until = new Date(NOW.getTime() + 60_000);
    expect(await crmConnections.claimSync(workspace.id, NOW, until)).toBe(true);
    expect(await crmConnections.claimSync(workspace.id, NOW, until)).toBe(false);
    expect(await crmConnections.claimSync(workspace.id, until, until)).toBe(true);
    await crmConnections.finishSync(workspace.id, { at: NOW, error: "HubSpot answered 401" });
    expect((await crmStatus(deps(), { workspaceId: workspace.id }))?.connection).toMatchObject({
      lastSyncAt: NOW,
      lastError: "HubSpot answered 401",
    });
    expect(await crmConnections.claimSync(workspace.id, NOW, until)).toBe(true);
  });
});
