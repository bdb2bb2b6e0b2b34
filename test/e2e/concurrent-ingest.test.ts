import { describe, expect, it } from "vitest";
import { suiteAppWithApiKey } from "../support/app-harness.ts";

const LEADS = 300;
const BATCHES = 8;
const CAMPAIGNS = ["spring-webinar", "brand-search", "partner-event"];

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function lead(n: number, batch: number) {
  return {
    externalId: `crm-${n}`,
    email: `lead${n}@acme.example`,
    name: `Lead ${n}`,
    company: "Acme",
    title: `Title from batch ${batch}`,
    campaign: CAMPAIGNS[n % CAMPAIGNS.length],
    createdAt: "2026-11-16T09:30:00+01:00",
    fields: { employees: 100 + n, batch },
  };
}

describe("concurrency #6: batches upserting the same leads in different orders", () => {
  const app = suiteAppWithApiKey("CRM sync");

  const post = (leads: unknown[]) => postTo("/api/v1/leads", { leads });
  const postTo = (path: string, body: unknown) =>
    fetch(`${app.h.baseUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${app.key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get("retry-after"),
      json: (await r.json()) as Record<string, unknown>,
    }));

  it(`eight concurrent batches over the same ${LEADS} leads in shuffled orders: all 200 or 503 with Retry-After, none 500, and every lead ends as one batch wrote it`, async () => {
    const numbers = Array.from({ length: LEADS }, (_, i) => i + 1);
    const batches = Array.from({ length: BATCHES }, (_, b) =>
      shuffled(numbers, b + 1).map((n) => lead(n, b)),
    );
    const answers = await Promise.all(batches.map(post));

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    for (const busy of answers.filter((a) => a.status === 503)) {
      expect(busy.json.error).toBe("database_busy");
      expect(Number(busy.retryAfter)).toBeGreaterThan(0);
    }
    const stored = answers.filter((a) => a.status === 200).map((a) => a.json);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.reduce((sum, counts) => sum + Number(counts.created), 0)).toBe(LEADS);

    const rows = await app.h.deps.db.prisma.lead.findMany({
      where: { workspaceId: app.h.teamId },
      select: { externalId: true, title: true, fields: true, campaign: { select: { key: true } } },
    });
    expect(rows).toHaveLength(LEADS);
    // A batch is one transaction: every lead carries the batch that committed last, never a mix.
    const titles = new Set(rows.map((r) => r.title));
    expect(titles.size).toBe(1);
    const [title] = [...titles];
    const lastBatch = Number(title?.replace("Title from batch ", ""));
    for (const row of rows) {
      const n = Number(row.externalId.replace("crm-", ""));
      expect(row.fields).toEqual({ employees: 100 + n, batch: lastBatch });
      expect(row.campaign?.key).toBe(CAMPAIGNS[n % CAMPAIGNS.length]);
    }
    const campaigns = await app.h.deps.repos.campaigns.list(app.h.teamId);
    expect(campaigns.map((c) => c.key).sort()).toEqual([...CAMPAIGNS].sort());
  });

  it("eight concurrent batches defining the same new metrics in shuffled orders each get an answer, and every metric is defined once", async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `pipeline_touch_${i}`);
    const definition = (metricKey: string) => ({
      key: metricKey,
      label: metricKey,
      unit: "count",
      stage: "pipeline",
      goal: "find",
      direction: "higher",
      aggregation: "sum",
    });
    const answers = await Promise.all(
      Array.from({ length: BATCHES }, (_, b) =>
        postTo("/api/v1/metric-definitions", {
          definitions: shuffled(keys, b + 1).map(definition),
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const stored = answers.filter((a) => a.status === 200).map((a) => a.json);
    expect(stored.reduce((sum, counts) => sum + Number(counts.created), 0)).toBe(keys.length);
    const defined = await app.h.deps.repos.metrics.catalogue(app.h.teamId);
    expect(
      defined
        .filter((d) => keys.includes(d.key))
        .map((d) => d.key)
        .sort(),
    ).toEqual([...keys].sort());
  });
});
