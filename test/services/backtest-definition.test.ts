import { beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/domain/workspace.ts";
import { BACKTEST_PAGE_SIZE, backtestDefinition } from "../../src/services/backtest-definition.ts";
import { recordOutcomes } from "../../src/services/record-outcomes.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../support/database.ts";

const NOW = new Date("2026-12-06T12:00:00Z");

/**
 * Hand-made leads: L1 (20 employees), L2 (40, won $48,000), L3 (60, an opportunity), L4 (80) and
 * L5 (200) created in the last 180 days, L2 to L4 at the same instant; L6 (40, won $9,000)
 * created 200 days ago, outside the backtest.
 */
describe("definition backtest", () => {
  const { db, repos } = suiteDatabase();
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma);
    const lead = (n: number, employees: number, created: string) =>
      repos.leads.upsert(
        workspace.id,
        leadToStore({
          externalId: `L${n}`,
          email: `l${n}@acme.example`,
          createdAt: new Date(created),
          fields: { employees },
        }),
      );
    await lead(1, 20, "2026-07-01T10:00:00Z");
    for (const [n, employees] of [
      [2, 40],
      [3, 60],
      [4, 80],
    ] as const)
      await lead(n, employees, "2026-09-01T10:00:00Z");
    await lead(5, 200, "2026-11-01T10:00:00Z");
    await lead(6, 40, "2026-05-20T10:00:00Z");
    const outcome = (n: number, type: "opportunity" | "won", amount: number | null = null) => ({
      externalId: `opp-${n}`,
      lead: `L${n}`,
      type,
      at: new Date("2026-11-15T10:00:00Z"),
      amount,
    });
    await recordOutcomes(
      { db },
      {
        workspaceId: workspace.id,
        outcomes: [
          outcome(2, "opportunity", 40000),
          outcome(2, "won", 48000),
          outcome(3, "opportunity"),
          outcome(6, "won", 9000),
        ],
      },
    );
  });

  it("tries the proposed rules on the last 180 days' leads against the active ones", async () => {
    const backtest = await backtestDefinition(
      { repos },
      {
        workspaceId: workspace.id,
        active: { all: [{ field: "employees", op: ">=", value: 30 }] },
        proposed: { all: [{ field: "employees", op: ">=", value: 70 }] },
        now: NOW,
      },
    );
    expect(backtest).toEqual({
      days: 180,
      leads: 5,
      metBefore: 4,
      metAfter: 2,
      excluded: { leads: 2, reachedOpportunity: 2, won: 1, wonAmount: 48000 },
      included: { leads: 0, reachedOpportunity: 0, won: 0, wonAmount: 0 },
    });
  });

  it("pages through the leads oldest first, leads created at the same instant included", async () => {
    const page = (after: { createdAt: Date; id: string } | null) =>
      repos.hindsight.backtestLeads({
        workspaceId: workspace.id,
        from: new Date("2026-06-09T12:00:00Z"),
        to: NOW,
        after,
        limit: 2,
      });
    const seen: string[] = [];
    let after: { createdAt: Date; id: string } | null = null;
    for (let rows = await page(after); rows.length > 0; rows = await page(after)) {
      seen.push(...rows.map((r) => r.email));
      const last = rows.at(-1) as { createdAt: Date; id: string };
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen[0]).toBe("l1@acme.example");
    expect(seen.at(-1)).toBe("l5@acme.example");
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5].map((n) => `l${n}@acme.example`));
  });

  it("reads every page of a workspace with more leads than a page, each after the last it read", async () => {
    const lead = (n: number) => ({
      id: `lead-${n}`,
      createdAt: new Date(NOW.getTime() - (BACKTEST_PAGE_SIZE + 10 - n) * 60_000),
      email: `l${n}@acme.example`,
      title: null,
      company: null,
      fields: { employees: n % 2 === 0 ? 100 : 10 },
      reachedOpportunity: false,
      won: false,
      wonAmount: 0,
    });
    const all = Array.from({ length: BACKTEST_PAGE_SIZE + 1 }, (_, n) => lead(n));
    const asked: (string | null)[] = [];
    const hindsight = {
      backtestLeads: async (input: { after: { id: string } | null; limit: number }) => {
        asked.push(input.after?.id ?? null);
        const start = input.after ? all.findIndex((l) => l.id === input.after?.id) + 1 : 0;
        return all.slice(start, start + input.limit);
      },
    };
    const backtest = await backtestDefinition(
      { repos: { hindsight } },
      {
        workspaceId: "T-paged",
        active: undefined,
        proposed: { all: [{ field: "employees", op: ">=", value: 50 }] },
        now: NOW,
      },
    );
    expect(asked).toEqual([null, `lead-${BACKTEST_PAGE_SIZE - 1}`]);
    expect(backtest).toMatchObject({ leads: BACKTEST_PAGE_SIZE + 1, metAfter: 1001 });
  });
});
