import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackGateway } from "../../src/outbound/slack/gateway.ts";
import { matchOwners } from "../../src/services/match-owners.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";

let fake: FakeSlack;
let slack: SlackGateway;

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.setUser("U0ALICE01", { profile: { email: "alice@northwind.io" } });
  fake.setUser("U0BOB0001", { profile: { email: "bob@northwind.io" } });
  slack = new SlackGateway(
    new WebClient(fake.botToken, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 },
    }),
  );
});

afterAll(() => fake.close());

const lookups = () => fake.calls("users.lookupByEmail").length;

describe("matching CRM owners to Slack users", () => {
  it("takes Slack ids as they are, maps names through the owner table, looks each email up once", async () => {
    const before = lookups();
    const result = await matchOwners(
      { slack },
      {
        owners: [
          "U0CAROL01",
          "Alice@Northwind.io",
          "alice@northwind.io",
          "Bob Stone",
          "Alice@Northwind.io",
          "nobody@northwind.io",
          "Dana Wu",
        ],
        names: { "Bob Stone": "bob@northwind.io" },
      },
    );
    expect(result.users).toEqual(
      new Map([
        ["U0CAROL01", "U0CAROL01"],
        ["Alice@Northwind.io", "U0ALICE01"],
        ["alice@northwind.io", "U0ALICE01"],
        ["Bob Stone", "U0BOB0001"],
      ]),
    );
    expect(result.unmatched).toEqual(["nobody@northwind.io", "Dana Wu"]);
    // alice (in two spellings), bob and nobody: one call per distinct email.
    expect(lookups() - before).toBe(3);
  });

  it("waits out Slack's rate limit (429 with Retry-After) and carries on", async () => {
    fake.failNext("users.lookupByEmail", { status: 429, headers: { "Retry-After": "1" } });
    const before = lookups();
    const result = await matchOwners({ slack }, { owners: ["bob@northwind.io"] });
    expect(result.users.get("bob@northwind.io")).toBe("U0BOB0001");
    expect(lookups() - before).toBe(2);
  });

  it("leaves emails unmatched without Slack, and throws Slack's other errors", async () => {
    expect(await matchOwners({ slack: undefined }, { owners: ["bob@northwind.io"] })).toEqual({
      users: new Map(),
      unmatched: ["bob@northwind.io"],
    });
    fake.failNext("users.lookupByEmail", { body: { ok: false, error: "missing_scope" } });
    await expect(matchOwners({ slack }, { owners: ["alice@northwind.io"] })).rejects.toMatchObject({
      data: { error: "missing_scope" },
    });
  });
});
