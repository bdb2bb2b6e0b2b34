import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { BAD_KEYS_PER_MINUTE } from "../../src/inbound/http/api/bad-key-throttle.ts";
import { createApiKey } from "../../src/services/api-keys.ts";
import { callApi, suiteAppWithApiKey } from "../support/app-harness.ts";

function lead(n: number, overrides: Record<string, unknown> = {}) {
  return {
    externalId: `crm-${n}`,
    email: `Lead${n}@Acme.example`,
    name: `Lead ${n}`,
    company: "Acme",
    title: "CMO",
    campaign: "q4-webinar",
    createdAt: "2026-11-16T09:30:00+01:00",
    fields: { employees: 120, region: "EU", trial: true },
    ...overrides,
  };
}

describe("the ingestion API", () => {
  const app = suiteAppWithApiKey("CRM sync");

  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    callApi(app.h, app.key, { method, path, body, headers });
  /** The API's answer to a batch it stored, by what happened to its rows. */
  const batchResult = (created: number, updated: number, unchanged: number) => ({
    status: 200,
    json: { created, updated, unchanged },
  });
  /** Posts `body` twice: the first time creates `count` rows, the second changes nothing. */
  const expectCreatedOnce = async (path: string, body: unknown, count: number) => {
    expect(await call("POST", path, body)).toEqual(batchResult(count, 0, 0));
    expect(await call("POST", path, body)).toEqual(batchResult(0, 0, count));
  };

  it("creates leads, creates unknown campaigns, and is idempotent on re-send", async () => {
    const batch = { leads: [lead(1), lead(2), lead(3, { campaign: null })] };
    await expectCreatedOnce("/api/v1/leads", batch, 3);
    const changed = { leads: [lead(1, { title: "VP Marketing" }), lead(2)] };
    expect(await call("POST", "/api/v1/leads", changed)).toEqual(batchResult(0, 1, 1));
    const campaign = await app.h.deps.repos.campaigns.findByKey(app.h.teamId, "q4-webinar");
    expect(campaign?.name).toBe("q4-webinar");
    const stored = await app.h.deps.repos.leads.findByExternalId(app.h.teamId, "crm-1");
    expect(stored).toMatchObject({
      email: "lead1@acme.example",
      title: "VP Marketing",
      campaignKey: "q4-webinar",
      fields: { employees: 120, region: "EU", trial: true },
    });
    expect(stored?.createdAt.toISOString()).toBe("2026-11-16T08:30:00.000Z");
  });

  it("rejects a batch with any invalid row whole, listing every row's problems, and writes nothing", async () => {
    const before = await app.h.deps.db.prisma.lead.count({ where: { workspaceId: app.h.teamId } });
    const response = await call("POST", "/api/v1/leads", {
      leads: [
        lead(10),
        lead(11, { email: "not-an-email" }),
        lead(12, { createdAt: "yesterday", externalId: "" }),
        lead(13, { colour: "blue" }),
      ],
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe("invalid_request");
    const issues = response.json.issues as { index: number; field: string }[];
    expect(issues.map((i) => [i.index, i.field])).toEqual(
      expect.arrayContaining([
        [1, "email"],
        [2, "createdAt"],
        [2, "externalId"],
        [3, "(row)"],
      ]),
    );
    expect(issues.some((i) => i.index === 0)).toBe(false);
    expect(await app.h.deps.db.prisma.lead.count({ where: { workspaceId: app.h.teamId } })).toBe(
      before,
    );
  });

  it("security #10d: lists the first 100 issues of a batch of 1,000 leads × 100 bad fields, with their total", async () => {
    const badFields = Object.fromEntries(Array.from({ length: 100 }, (_, f) => [`f${f}`, []]));
    const response = await call("POST", "/api/v1/leads", {
      leads: Array.from({ length: 1000 }, (_, n) => lead(n, { fields: badFields })),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      error: "invalid_request",
      message: expect.stringContaining("1000 of 1000 leads are invalid"),
      totalIssues: 100_000,
    });
    const issues = response.json.issues as { index: number; field: string }[];
    expect(issues.map((i) => [i.index, i.field])).toEqual(
      Array.from({ length: 100 }, (_, f) => [0, `fields.f${f}`]),
    );
  });

  it("rejects a batch that repeats a lead", async () => {
    const response = await call("POST", "/api/v1/leads", { leads: [lead(20), lead(20)] });
    expect(response.status).toBe(400);
    expect(response.json.issues).toEqual([
      { index: 1, field: "externalId", message: expect.stringContaining("first at index 0") },
    ]);
  });

  it.each([
    {
      path: "/api/v1/outcomes",
      body: "outcomes",
      what: "outcomes",
      field: "externalId",
      item: { externalId: "opp-twice", lead: "crm-1", type: "won", at: "2026-12-01T10:00:00Z" },
      other: {
        externalId: "opp-twice",
        lead: "crm-1",
        type: "opportunity",
        at: "2026-11-20T10:00:00Z",
      },
      count: () => app.h.deps.db.prisma.outcome.count({ where: { workspaceId: app.h.teamId } }),
    },
    {
      path: "/api/v1/metrics",
      body: "metrics",
      what: "metrics",
      field: "metric",
      item: { metric: "spend", campaign: "q4-webinar", period: "2026-W47", value: 10 },
      // The same metric, campaign and period from another source is another value.
      other: {
        metric: "spend",
        campaign: "q4-webinar",
        period: "2026-W47",
        value: 12,
        source: "linkedin",
      },
      count: () => app.h.deps.db.prisma.metricValue.count({ where: { workspaceId: app.h.teamId } }),
    },
    {
      path: "/api/v1/campaigns",
      body: "campaigns",
      what: "campaigns",
      field: "key",
      item: { key: "fair-twice", name: "Trade fair" },
      other: { key: "fair-once", name: "Another fair" },
      count: () => app.h.deps.db.prisma.campaign.count({ where: { workspaceId: app.h.teamId } }),
    },
    {
      path: "/api/v1/metric-definitions",
      body: "definitions",
      what: "definitions",
      field: "key",
      item: {
        key: "demo_requests",
        label: "Demo requests",
        unit: "count",
        stage: "engagement",
        goal: "find",
        direction: "higher",
        aggregation: "sum",
      },
      other: {
        key: "trial_starts",
        label: "Trial starts",
        unit: "count",
        stage: "engagement",
        goal: "find",
        direction: "higher",
        aggregation: "sum",
      },
      count: () =>
        app.h.deps.db.prisma.metricDefinition.count({ where: { workspaceId: app.h.teamId } }),
    },
    {
      path: "/api/v1/reasons",
      body: "reasons",
      what: "reasons",
      field: "key",
      item: { key: "said_twice", label: "Said twice", owner: "marketing" },
      other: { key: "said_once", label: "Said once", owner: "sales_process" },
      count: () => app.h.deps.db.prisma.reason.count({ where: { workspaceId: app.h.teamId } }),
    },
  ])("refuses a batch of $what naming one twice whole, listing the repeat", async (batch) => {
    await call("POST", "/api/v1/leads", { leads: [lead(1)] });
    const before = await batch.count();
    const response = await call("POST", batch.path, {
      [batch.body]: [batch.item, batch.other, batch.item],
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      error: "invalid_request",
      message: `The batch repeats ${batch.what}; nothing was written.`,
    });
    expect(response.json.issues).toEqual([
      { index: 2, field: batch.field, message: expect.stringContaining("first at index 0") },
    ]);
    expect(await batch.count()).toBe(before);
  });

  it("stores metrics by day and ISO week, idempotently, and rejects unknown metric keys naming them", async () => {
    const metrics = {
      metrics: [
        {
          metric: "spend",
          campaign: "q4-webinar",
          period: "2026-W47",
          value: 1200.5,
          source: "google_ads",
        },
        { metric: "impressions", campaign: "q4-webinar", period: "2026-11-16", value: 50000 },
        { metric: "nps", period: "2026-W47", value: 42 },
      ],
    };
    await expectCreatedOnce("/api/v1/metrics", metrics, 3);
    const stored = await app.h.deps.db.prisma.metricValue.findFirst({
      where: { workspaceId: app.h.teamId, source: "google_ads" },
    });
    expect(stored?.granularity).toBe("week");
    expect(stored?.periodStart.toISOString().slice(0, 10)).toBe("2026-11-16");
    const unknown = await call("POST", "/api/v1/metrics", {
      metrics: [
        { metric: "spend", period: "2026-W47", value: 1 },
        { metric: "tiktok_views", period: "2026-W47", value: 1 },
      ],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.issues).toEqual([
      { index: 1, field: "metric", message: expect.stringContaining('"tiktok_views"') },
    ]);
    const badPeriod = await call("POST", "/api/v1/metrics", {
      metrics: [{ metric: "spend", period: "2026-W60", value: 1 }],
    });
    expect(badPeriod.json.issues).toEqual([
      { index: 0, field: "period", message: expect.stringContaining("ISO week") },
    ]);
  });

  it("defines metrics, then accepts values for them", async () => {
    const definition = {
      key: "webinar_signups",
      label: "Webinar sign-ups",
      unit: "count",
      stage: "engagement",
      goal: "find",
      direction: "higher",
      aggregation: "sum",
    };
    await expectCreatedOnce("/api/v1/metric-definitions", { definitions: [definition] }, 1);
    expect(
      (
        await call("POST", "/api/v1/metrics", {
          metrics: [{ metric: "webinar_signups", period: "2026-11-17", value: 80 }],
        })
      ).status,
    ).toBe(200);
  });

  it("upserts campaigns and reasons", async () => {
    const campaigns = {
      campaigns: [
        {
          key: "q1-fair",
          name: "Q1 trade fair",
          channel: "events",
          startsOn: "2027-01-10",
          budget: 25000,
        },
      ],
    };
    await expectCreatedOnce("/api/v1/campaigns", campaigns, 1);
    const reasons = {
      reasons: [
        { key: "no_response", label: "No answer after three calls", owner: "sales_process" },
        { key: "bad_timing_zone", label: "Outside our time zones", owner: "marketing" },
      ],
    };
    expect(await call("POST", "/api/v1/reasons", reasons)).toEqual(batchResult(1, 1, 0));
    const listed = await call("GET", "/api/v1/reasons");
    expect(listed.json.reasons).toEqual(
      expect.arrayContaining([
        { key: "no_response", label: "No answer after three calls", owner: "sales_process" },
      ]),
    );
  });

  it("returns a lead with its verdict history, and 404 for an unknown one", async () => {
    const stored = await app.h.deps.repos.leads.findByExternalId(app.h.teamId, "crm-2");
    if (!stored) throw new Error("crm-2 missing");
    const judged = { leadId: stored.id, reasons: [], definitionStatus: "unknown" as const };
    await app.h.deps.repos.feedback.append(app.h.teamId, {
      ...judged,
      verdict: "not_yet",
      note: null,
      userId: "U1",
      givenAt: new Date("2026-11-17T10:00:00Z"),
    });
    await app.h.deps.repos.feedback.append(app.h.teamId, {
      ...judged,
      verdict: "fit",
      note: "Budget approved",
      userId: "U2",
      givenAt: new Date("2026-11-18T10:00:00Z"),
    });
    const response = await call("GET", "/api/v1/leads/crm-2");
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      lead: { externalId: "crm-2", campaign: "q4-webinar" },
      verdict: { verdict: "fit", note: "Budget approved" },
    });
    expect((response.json.history as unknown[]).length).toBe(2);
    const missing = await call("GET", "/api/v1/leads/nope");
    expect(missing).toMatchObject({ status: 404, json: { error: "not_found" } });
  });

  it("pages verdicts in order for CRMs that pull", async () => {
    const first = await call("GET", "/api/v1/verdicts?limit=1");
    expect(first.status).toBe(200);
    const verdicts = first.json.verdicts as { leadExternalId: string; verdict: string }[];
    expect(verdicts).toEqual([
      expect.objectContaining({ leadExternalId: "crm-2", verdict: "not_yet" }),
    ]);
    const second = await call("GET", `/api/v1/verdicts?limit=1&cursor=${first.json.nextCursor}`);
    expect(second.json.verdicts).toEqual([expect.objectContaining({ verdict: "fit" })]);
    // Every offset spelling the API takes: Z, +01:00 and +0100 name the same instant here.
    for (const time of [
      "2026-11-18T00:00:00Z",
      "2026-11-18T01:00:00+01:00",
      "2026-11-18T01:00:00+0100",
    ]) {
      const since = await call("GET", `/api/v1/verdicts?since=${encodeURIComponent(time)}`);
      expect(since.status).toBe(200);
      expect((since.json.verdicts as unknown[]).length).toBe(1);
    }
    expect(await call("GET", "/api/v1/verdicts?since=tuesday")).toMatchObject({
      status: 400,
      json: { issues: [{ field: "since", message: expect.stringContaining("with an offset") }] },
    });
  });

  it.each([
    ["/api/v1/verdicts?cursor=abc", "cursor", "cursor must be a value returned as nextCursor"],
    [
      "/api/v1/verdicts?cursor=9223372036854775808",
      "cursor",
      "cursor must be a value returned as nextCursor",
    ],
    ["/api/v1/hindsight?since=tuesday", "since", "since must be a date like 2026-11-16"],
    ["/api/v1/hindsight?until=0000-01-01", "until", "Years run from 0001 to 9999"],
  ])("refuses the query %s with one problem, naming its field", async (path, field, message) => {
    expect(await call("GET", path)).toMatchObject({
      status: 400,
      json: { issues: [{ field, message }] },
    });
    expect((await call("GET", path)).json.issues).toHaveLength(1);
  });

  it("answers 401 without a key, with a bad key and with a revoked key", async () => {
    const noKey = await fetch(`${app.h.baseUrl}/api/v1/leads`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(noKey.status).toBe(401);
    expect(
      (
        await call(
          "POST",
          "/api/v1/leads",
          { leads: [lead(30)] },
          { authorization: "Bearer lf_wrong" },
        )
      ).status,
    ).toBe(401);
    const revoked = await createApiKey(
      { repos: app.h.deps.repos },
      {
        workspaceId: app.h.teamId,
        label: "old",
        createdBy: "cli",
      },
    );
    await app.h.deps.repos.apiKeys.revoke(app.h.teamId, revoked.summary.id, "cli", new Date());
    expect(
      (
        await call(
          "POST",
          "/api/v1/leads",
          { leads: [lead(31)] },
          { authorization: `Bearer ${revoked.key}` },
        )
      ).status,
    ).toBe(401);
    expect(await app.h.deps.repos.leads.findByExternalId(app.h.teamId, "crm-31")).toBeUndefined();
  });

  it("answers 415 for a body that is not JSON, 400 for broken JSON, and 413 past the size limit", async () => {
    expect(
      (
        await call("POST", "/api/v1/leads", "leads=1", {
          "content-type": "application/x-www-form-urlencoded",
        })
      ).status,
    ).toBe(415);
    const broken = await call("POST", "/api/v1/leads", "{ not json");
    expect(broken).toMatchObject({ status: 400, json: { error: "invalid_json" } });
    const huge = JSON.stringify({ leads: [lead(40, { name: "x".repeat(6 * 1024 * 1024) })] });
    expect((await call("POST", "/api/v1/leads", huge)).status).toBe(413);
  });

  it("answers 400 past the batch length limit", async () => {
    const response = await call("POST", "/api/v1/leads", {
      leads: Array.from({ length: 1001 }, (_, i) => lead(1000 + i)),
    });
    expect(response.status).toBe(400);
    expect(String(response.json.message)).toContain("At most 1000");
  });
});

describe("security #10b: bad API keys are throttled per client address", () => {
  const app = suiteAppWithApiKey("CRM sync");

  /** A GET from a given loopback address, so the test can play several clients. */
  const from = (localAddress: string, authorization: string) =>
    new Promise<{ status: number; retryAfter: string | undefined; json: unknown }>(
      (resolve, reject) => {
        const { hostname, port } = new URL(app.h.baseUrl);
        request(
          {
            host: hostname,
            port,
            path: "/api/v1/reasons",
            localAddress,
            headers: { authorization },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                retryAfter: res.headers["retry-after"],
                json: JSON.parse(Buffer.concat(chunks).toString("utf8")),
              }),
            );
          },
        )
          .on("error", reject)
          .end();
      },
    );

  it("answers 401 up to the limit of bad keys from one address, then 429 with Retry-After, also for a good key from there", async () => {
    for (let i = 0; i < BAD_KEYS_PER_MINUTE; i++)
      expect((await from("127.0.0.2", `Bearer lf_guess_${i}`)).status).toBe(401);
    const throttled = await from("127.0.0.2", "Bearer lf_guess_again");
    expect(throttled).toMatchObject({ status: 429, json: { error: "too_many_bad_keys" } });
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(throttled.retryAfter)).toBeLessThanOrEqual(60);
    // While throttled, no key is looked up: a guess that happens to be right learns nothing.
    expect((await from("127.0.0.2", `Bearer ${app.key}`)).status).toBe(429);
  });

  it("does not throttle a good key from another address, nor count good keys against an address", async () => {
    for (let i = 0; i <= BAD_KEYS_PER_MINUTE; i++) await from("127.0.0.3", `Bearer lf_guess_${i}`);
    expect((await from("127.0.0.4", `Bearer ${app.key}`)).status).toBe(200);
    for (let i = 0; i <= 2 * BAD_KEYS_PER_MINUTE; i++)
      expect((await from("127.0.0.5", `Bearer ${app.key}`)).status).toBe(200);
    expect((await from("127.0.0.5", "Bearer lf_guess")).status).toBe(401);
  });
});
