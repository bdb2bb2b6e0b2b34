import { describe, expect, it } from "vitest";
import { callApi, seedLead, suiteAppWithApiKey } from "../support/app-harness.ts";

describe("outcomes and hindsight over the API", () => {
  const app = suiteAppWithApiKey("CRM sync");

  const post = (body: unknown) =>
    callApi(app.h, app.key, { method: "POST", path: "/api/v1/outcomes", body });

  it("stores outcomes, counts what changed, and changes nothing when sent again", async () => {
    const lead = await seedLead(app.h);
    const outcomes = [
      {
        externalId: "opp-7",
        lead: lead.externalId,
        type: "opportunity",
        at: "2026-11-20T10:00:00+01:00",
        amount: 12000,
      },
      {
        externalId: "opp-7",
        lead: lead.externalId,
        type: "won",
        at: "2026-12-01T10:00:00Z",
        amount: 15000,
      },
    ];
    expect(await post({ outcomes })).toEqual({
      status: 200,
      json: { created: 2, updated: 0, unchanged: 0 },
    });
    expect(await post({ outcomes })).toEqual({
      status: 200,
      json: { created: 0, updated: 0, unchanged: 2 },
    });
    const changed = [outcomes[0], { ...outcomes[1], amount: 16000 }];
    expect(await post({ outcomes: changed })).toEqual({
      status: 200,
      json: { created: 0, updated: 1, unchanged: 1 },
    });
    const stored = await app.h.deps.db.prisma.outcome.findFirst({
      where: { workspaceId: app.h.teamId, externalId: "opp-7", type: "opportunity" },
    });
    expect(stored?.at.toISOString()).toBe("2026-11-20T09:00:00.000Z");
  });

  it("refuses a batch naming an unknown lead whole, with each unknown lead in issues", async () => {
    const lead = await seedLead(app.h);
    const response = await post({
      outcomes: [
        {
          externalId: "opp-8",
          lead: lead.externalId,
          type: "opportunity",
          at: "2026-11-20T10:00:00Z",
        },
        {
          externalId: "opp-9",
          lead: "crm-ghost",
          type: "won",
          at: "2026-11-20T10:00:00Z",
          amount: 5,
        },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      error: "invalid_request",
      issues: [{ index: 1, field: "lead", message: "No lead with externalId crm-ghost" }],
    });
    expect(await app.h.deps.db.prisma.outcome.count({ where: { externalId: "opp-8" } })).toBe(0);
  });

  it("refuses invalid rows and repeated outcomes, naming the field", async () => {
    const lead = await seedLead(app.h);
    const invalid = await post({
      outcomes: [
        { externalId: "opp-10", lead: lead.externalId, type: "signed", at: "2026-11-20" },
        {
          externalId: "opp-11",
          lead: lead.externalId,
          type: "won",
          at: "2026-11-20T10:00:00Z",
          amount: -1,
        },
      ],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.issues).toEqual([
      { index: 0, field: "type", message: "type is opportunity, won or lost" },
      { index: 0, field: "at", message: expect.stringContaining("ISO 8601") },
      { index: 1, field: "amount", message: "An amount cannot be negative" },
    ]);
    const row = {
      externalId: "opp-12",
      lead: lead.externalId,
      type: "won",
      at: "2026-11-20T10:00:00Z",
    };
    const repeated = await post({ outcomes: [row, row] });
    expect(repeated.status).toBe(400);
    expect(repeated.json.issues).toEqual([
      { index: 1, field: "externalId", message: expect.stringContaining("first at index 0") },
    ]);
  });

  const get = (query: string) =>
    fetch(`${app.h.baseUrl}/api/v1/hindsight${query}`, {
      headers: { authorization: `Bearer ${app.key}` },
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));

  it("answers hindsight for the default period with provisional flags, and refuses a bad query", async () => {
    const lead = await seedLead(app.h);
    const at = new Date().toISOString();
    await post({
      outcomes: [{ externalId: "opp-20", lead: lead.externalId, type: "won", at, amount: 900 }],
    });
    const answer = await get("?cohort=week");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ cohortSize: "week", provisional: true, currency: "USD" });
    const none = (answer.json.verdicts as { verdict: string; won: number }[]).find(
      (v) => v.verdict === "none",
    );
    expect(none?.won).toBeGreaterThanOrEqual(1);
    const cohorts = answer.json.cohorts as { provisional: boolean }[];
    expect(cohorts.at(-1)?.provisional).toBe(true);
    const bad = await get("?since=yesterday&cohort=year&team=T1");
    expect(bad.status).toBe(400);
    expect((bad.json.issues as { field: string }[]).map((i) => i.field).sort()).toEqual([
      "cohort",
      "query",
      "since",
    ]);
    expect((await get("?campaign=no-such-campaign")).status).toBe(404);
  });
});
