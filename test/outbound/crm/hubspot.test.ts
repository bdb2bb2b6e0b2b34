import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HubSpotCrm } from "../../../src/outbound/crm/hubspot.ts";
import { type FakeHubSpot, startFakeHubSpot } from "../../fakes/fake-hubspot.ts";
import { codeOf } from "../../support/app-errors.ts";

const T0 = new Date("2026-11-01T00:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe("HubSpot client against the fake", () => {
  let hubspot: FakeHubSpot;
  const crm = (extra: Partial<ConstructorParameters<typeof HubSpotCrm>[0]> = {}) =>
    new HubSpotCrm({ apiUrl: hubspot.url, accessToken: "pat-1", backoffMs: 5, ...extra });

  beforeAll(async () => {
    hubspot = await startFakeHubSpot({
      tokens: ["pat-1", "oauth-old"],
      refreshTokens: ["refresh-1"],
      perTenSeconds: 40,
      searchPerSecond: 20,
    });
    for (let i = 1; i <= 5; i++) {
      hubspot.upsertContact(String(i), { email: `p${i}@example.com` }, minutes(i));
    }
  });
  afterAll(() => hubspot.close());

  it("searches contacts changed since a time, oldest change first, with HubSpot's paging", async () => {
    const first = await crm().searchChanged("contacts", {
      modifiedSince: minutes(2),
      properties: ["email"],
      limit: 2,
    });
    expect(first.records.map((c) => c.id)).toEqual(["2", "3"]);
    expect(first.records[0]?.properties.email).toBe("p2@example.com");
    expect(first).toMatchObject({ total: 4, more: true });
    const second = await crm().searchChanged("contacts", {
      modifiedSince: minutes(2),
      properties: ["email"],
      limit: 2,
      offset: 2,
    });
    expect(second.records.map((c) => c.id)).toEqual(["4", "5"]);
    expect(second.more).toBe(false);
  });

  it("retries a 429 and a 503, then gives up on a CRM that keeps failing", async () => {
    hubspot.failNext("/crm/v3/objects/contacts/batch/read", { status: 429, times: 1 });
    hubspot.failNext("/crm/v3/objects/contacts/batch/read", { status: 503, times: 1 });
    expect((await crm().read("contacts", ["1"], ["email"])).map((c) => c.id)).toEqual(["1"]);
    hubspot.failNext("/crm/v3/objects/contacts/batch/read", { status: 502, times: 4 });
    expect(await codeOf(crm({ retries: 2 }).read("contacts", ["1"], ["email"]))).toBe(
      "crm_unavailable",
    );
  });

  it("renews an expired OAuth token once, and hands the new one over to be stored", async () => {
    hubspot.expire("oauth-old");
    const stored: string[] = [];
    const client = crm({
      accessToken: "oauth-old",
      refresh: {
        refreshToken: "refresh-1",
        app: { clientId: "id", clientSecret: "secret" },
        onRefreshed: async (tokens) => {
          stored.push(tokens.accessToken);
        },
      },
    });
    expect(await client.portalId()).toBe(hubspot.portalId);
    expect(stored).toEqual(["oauth-access-1"]);
    expect(await codeOf(crm({ accessToken: "oauth-old" }).portalId())).toBe("crm_unauthorized");
  });

  it("refuses an answer in a shape it does not know, and a request HubSpot refuses", async () => {
    hubspot.failNext("/account-info", { status: 200, body: { portal: "4455" } });
    expect(await codeOf(crm().portalId())).toBe("crm_response_invalid");
    expect(
      await codeOf(
        crm().searchChanged("contacts", { modifiedSince: T0, properties: [], limit: 500 }),
      ),
    ).toBe("crm_refused");
  });

  it("keeps under the per-10-second limit however many calls are asked at once", async () => {
    const limited = await startFakeHubSpot({ perTenSeconds: 10, searchPerSecond: 5 });
    try {
      limited.upsertContact("1", { email: "a@example.com" }, T0);
      const client = new HubSpotCrm({
        apiUrl: limited.url,
        accessToken: "pat",
        limits: { perTenSeconds: 10, searchPerSecond: 5 },
        retries: 0,
      });
      await Promise.all(
        Array.from({ length: 12 }, () => client.read("contacts", ["1"], ["email"])),
      );
      expect(limited.calls("/crm/v3/objects/contacts/batch/read")).toHaveLength(12);
    } finally {
      await limited.close();
    }
  }, 30_000);
});
