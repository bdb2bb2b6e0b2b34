import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../src/domain/app-error.ts";
import { HUBSPOT_CONTACT_MAPPING } from "../../src/imports/crm-mapping.ts";
import { setCrmMapping, showCrmMapping } from "../../src/services/crm-mapping.ts";
import { syncCrm } from "../../src/services/sync-crm.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../fakes/fake-hubspot.ts";
import {
  connectedWorkspace,
  crmSyncDeps,
  crmTestConfig,
  FAST_HUBSPOT,
} from "../support/crm-sync.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

describe("a CRM connection's mapping: shown in the mapping file's form, replaced by a file, read by the next sync", () => {
  const { db } = suiteDatabase();
  let hubspot: FakeHubSpot;
  let folder: string;
  const crm = () => crmTestConfig({ hubspot: hubspot.url, salesforce: "http://127.0.0.1:9" });
  const deps = () => crmSyncDeps(db, crm());
  const file = async (name: string, json: unknown) => {
    const path = join(folder, name);
    await writeFile(path, JSON.stringify(json));
    return path;
  };
  const refusal = (work: Promise<unknown>) =>
    work.then(
      () => {
        throw new Error("expected a refusal");
      },
      (error: unknown) => {
        if (!isAppError(error)) throw error;
        return error.userMessage;
      },
    );

  beforeAll(async () => {
    hubspot = await startFakeHubSpot(FAST_HUBSPOT);
    folder = await mkdtemp(join(tmpdir(), "leadfit-crm-mapping-"));
  });
  afterAll(async () => {
    await hubspot.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("starts from the CRM's preset, takes an edited copy, and the sync maps records with it", async () => {
    const workspace = await connectedWorkspace(db, crm(), {
      kind: "hubspot",
      accessToken: "pat-na1-test",
    });
    const shown = await showCrmMapping(deps(), { workspaceId: workspace.id });
    expect(shown).toMatchObject({ kind: "leads", columns: HUBSPOT_CONTACT_MAPPING.columns });
    expect(Object.keys(shown)).toEqual(["name", "label", "kind", "columns", "fields"]);

    // The team keeps its campaign in a property of its own and counts employees as a number.
    const edited = {
      ...shown,
      label: "Northwind's HubSpot",
      columns: { ...HUBSPOT_CONTACT_MAPPING.columns, campaign: ["nw_campaign", "utm_campaign"] },
      fields: {
        employees: { headers: ["numemployees"], type: "number" },
        region: ["nw_region"],
      },
    };
    await setCrmMapping(deps(), {
      workspaceId: workspace.id,
      file: await file("northwind.json", edited),
      actor: "U0ADMIN",
    });
    expect(await showCrmMapping(deps(), { workspaceId: workspace.id })).toMatchObject({
      label: "Northwind's HubSpot",
      fields: { employees: { headers: ["numemployees"], type: "number" } },
    });

    hubspot.upsertContact("301", {
      email: "li@northwind.io",
      firstname: "Li",
      lastname: "Wei",
      nw_campaign: "spring-event",
      utm_campaign: "ignored",
      numemployees: "1,200",
      nw_region: "EU",
      industry: "Software",
    });
    const report = await syncCrm(crmSyncDeps(db, crm()), { workspaceId: workspace.id });
    expect(report).toMatchObject({ error: null, counts: { leadsCreated: 1 } });
    const lead = await db.prisma.lead.findFirstOrThrow({
      where: { workspaceId: workspace.id, externalId: "301" },
      include: { campaign: { select: { key: true } } },
    });
    expect(lead).toMatchObject({ name: "Li Wei", campaign: { key: "spring-event" } });
    expect(lead.fields).toEqual({ employees: 1200, region: "EU" });
    const searched = hubspot.calls("/crm/v3/objects/contacts/search").at(-1);
    expect((searched?.body as { properties?: string[] } | undefined)?.properties).toEqual(
      expect.arrayContaining(["nw_campaign", "nw_region", "numemployees"]),
    );
    const audit = await db.prisma.auditEntry.findMany({
      where: { workspaceId: workspace.id, action: "crm.mapping_set" },
    });
    expect(audit.map((a) => a.actor)).toEqual(["U0ADMIN"]);
  });

  it("refuses a mapping the sync cannot read, naming each problem's place; the mapping stays", async () => {
    const workspace = await connectedWorkspace(db, crm(), {
      kind: "hubspot",
      accessToken: "pat-na1-test",
    });
    const before = await showCrmMapping(deps(), { workspaceId: workspace.id });
    const set = async (json: unknown) =>
      refusal(
        setCrmMapping(deps(), {
          workspaceId: workspace.id,
          file: await file("bad.json", json),
          actor: "cli",
        }),
      );
    const problems = await set({
      ...before,
      columns: { externalId: ["hs_object_id"], email: [] },
      rows: { totals: ["^Total"] },
      verdicts: {
        fields: "status",
        status: { fit: "a", not_yet: "b", not_fit: "c" },
        reasonField: "R",
      },
    });
    expect(problems).toContain("bad.json is not a valid mapping");
    expect(problems).toContain("rows: Not used by a CRM sync");
    expect(problems).toContain("columns.email: Name at least one header");
    expect(problems).toContain("verdicts: Lead Status is Salesforce's");
    expect(await set({ ...before, kind: "metrics" })).toContain(
      'kind: A CRM sync brings leads: use "leads"',
    );
    expect(await set({ ...before, columns: { name: ["firstname"] } })).toContain(
      "columns.email: Name the property holding the email",
    );
    expect(
      await set({ ...before, columns: { ...(before.columns as object), externalId: ["id"] } }),
    ).toContain("columns.externalId: The record's own id is the external id");
    expect(await showCrmMapping(deps(), { workspaceId: workspace.id })).toEqual(before);

    const notConnected = await newWorkspace(db.prisma);
    expect(await refusal(showCrmMapping(deps(), { workspaceId: notConnected.id }))).toContain(
      "no CRM connection",
    );
  });
});
