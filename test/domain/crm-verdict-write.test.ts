import { describe, expect, it } from "vitest";
import type { CrmConnectionSummary } from "../../src/domain/crm-connection.ts";
import {
  crmTrouble,
  hubspotVerdictProperties,
  salesforceVerdictFields,
  type VerdictWrite,
} from "../../src/domain/crm-verdict-write.ts";

const AT = new Date("2026-12-01T10:00:00Z");
const connection: CrmConnectionSummary = {
  kind: "salesforce",
  connectedBy: "cli",
  connectedAt: AT,
  account: "Acme Corp",
  backfillDays: 90,
  cursors: {},
  lastSyncAt: AT,
  lastError: null,
  lastErrorAt: null,
  counts: { leadsCreated: 0, leadsUpdated: 0, leadsRemoved: 0, outcomes: 0, verdictsWritten: 0 },
};
const fine = { pending: 3, written: 10, failed: 0 };

describe("a verdict as the CRM gets it", () => {
  const write: VerdictWrite = {
    verdict: "not_fit",
    reasons: ["No budget", "Wrong industry"],
    judgedBy: "U0REP",
    judgedAt: AT,
    definitionStatus: "not_met",
  };

  it("is HubSpot's leadfit_* properties, reasons in one text", () => {
    expect(hubspotVerdictProperties(write)).toEqual({
      leadfit_verdict: "not_fit",
      leadfit_reasons: "No budget; Wrong industry",
      leadfit_judged_by: "U0REP",
      leadfit_judged_at: "2026-12-01T10:00:00.000Z",
      leadfit_met_definition: "not_met",
    });
  });

  it("is Salesforce's Leadfit_*__c fields, no reasons clearing the field", () => {
    expect(salesforceVerdictFields({ ...write, verdict: "fit", reasons: [] })).toEqual({
      Leadfit_Verdict__c: "fit",
      Leadfit_Reasons__c: null,
      Leadfit_Judged_By__c: "U0REP",
      Leadfit_Judged_At__c: "2026-12-01T10:00:00.000Z",
      Leadfit_Met_Definition__c: "not_met",
    });
  });
});

describe("crmTrouble: the digest's line about the CRM", () => {
  it("is nothing without a CRM or when all is well", () => {
    expect(crmTrouble(undefined)).toBeNull();
    expect(crmTrouble({ connection, writes: fine, failedWrites: [] })).toBeNull();
  });

  it("names a failed sync and the verdicts not written back, in one line", () => {
    expect(
      crmTrouble({
        connection: { ...connection, lastError: "expired", lastErrorAt: AT },
        writes: { ...fine, failed: 2 },
        failedWrites: [],
      }),
    ).toBe(
      "⚠️ Salesforce: its last sync failed and 2 verdicts were not written back — admins, see App Home.",
    );
    expect(crmTrouble({ connection, writes: { ...fine, failed: 1 }, failedWrites: [] })).toBe(
      "⚠️ Salesforce: 1 verdict was not written back — admins, see App Home.",
    );
  });
});
