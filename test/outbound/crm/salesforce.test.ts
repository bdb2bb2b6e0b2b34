import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SalesforceCrm } from "../../../src/outbound/crm/salesforce.ts";
import { type FakeSalesforce, startFakeSalesforce } from "../../fakes/fake-salesforce.ts";
import { codeOf } from "../../support/app-errors.ts";

const APP = { clientId: "3MVG9-client", clientSecret: "sf-secret" };

describe("Salesforce client against the fake", () => {
  let org: FakeSalesforce;
  const crm = (extra: Partial<ConstructorParameters<typeof SalesforceCrm>[0]> = {}) =>
    new SalesforceCrm({
      instanceUrl: org.url,
      loginUrl: org.url,
      accessToken: org.accessToken(),
      ...extra,
    });

  beforeAll(async () => {
    org = await startFakeSalesforce({
      refreshToken: "5Aep-refresh",
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      dailyLimit: 60,
    });
    org.upsert("Organization", { Id: "00Dfake", Name: "Acme Corp" });
    for (let i = 0; i < 2500; i++) {
      org.upsert(
        "Lead",
        { Id: `00Q${String(i).padStart(6, "0")}`, Email: `l${i}@example.com` },
        new Date(Date.UTC(2026, 10, 1, 0, 0, i)),
      );
    }
  });
  afterAll(() => org.close());

  it("reads a SOQL query batch by batch through nextRecordsUrl, times with +0000", async () => {
    const client = crm();
    const first = await client.query(
      "SELECT Id, Email, SystemModstamp FROM Lead WHERE SystemModstamp > 2026-11-01T00:00:00Z ORDER BY SystemModstamp, Id",
    );
    expect(first.records).toHaveLength(2000);
    expect(first.records[0]).toMatchObject({
      Id: "00Q000001",
      Email: "l1@example.com",
      SystemModstamp: "2026-11-01T00:00:01.000+0000",
    });
    expect(first.next).toBeDefined();
    const second = await client.queryMore(first.next ?? "");
    expect(second.records).toHaveLength(499);
    expect(second.next).toBeUndefined();
    expect(client.apiUsage()).toMatchObject({ limit: 60 });
  });

  it("renews an expired session with the refresh token and hands the new token over", async () => {
    const stored: string[] = [];
    const client = crm({
      refreshToken: "5Aep-refresh",
      app: APP,
      onRefreshed: async (token) => {
        stored.push(token);
      },
    });
    org.expireSession();
    expect(await client.organizationName()).toBe("Acme Corp");
    expect(stored).toEqual([org.accessToken()]);
    org.expireSession();
    expect(await codeOf(crm({ accessToken: "00Dfake!expired" }).organizationName())).toBe(
      "crm_unauthorized",
    );
  });

  it("retries a 503, and refuses a field the org does not have", async () => {
    org.failNext("/services/data/v62.0/query", { status: 503, times: 1 });
    expect(await crm().organizationName()).toBe("Acme Corp");
    expect(await codeOf(crm().update("Lead", "00Q000001", { Leadfit_Verdict__c: "fit" }))).toBe(
      "crm_refused",
    );
  });

  it("stops short of the daily allocation, and names REQUEST_LIMIT_EXCEEDED when the org is past it", async () => {
    const client = crm();
    let code = "no error";
    for (let i = 0; i < 80 && code === "no error"; i++)
      code = await codeOf(client.organizationName());
    expect(code).toBe("crm_limit_reached");
    const usage = org.apiUsage();
    expect(usage.used).toBeLessThan(usage.limit);
    expect(usage.used).toBeGreaterThanOrEqual(usage.limit * 0.9);

    while (org.apiUsage().used < org.apiUsage().limit) await crm().organizationName();
    expect(await codeOf(crm().organizationName())).toBe("crm_limit_reached");
  });
});
