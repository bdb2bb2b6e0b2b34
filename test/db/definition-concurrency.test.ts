import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Workspace } from "../../src/domain/workspace.ts";
import { decideDefinition } from "../../src/services/decide-definition.ts";
import { proposeDefinition } from "../../src/services/propose-definition.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../support/database.ts";

const ROUNDS = 5;
const WAITING_LEADS = 500;

describe("concurrency #5: agreed definitions decided and proposed at the same moment", () => {
  const { db, repos } = suiteDatabase();

  const propose = async (workspace: Workspace, text: string, userId = "U0MARKETING") => {
    const result = await proposeDefinition(
      { repos },
      {
        workspaceId: workspace.id,
        text,
        userId,
        requestKey: randomUUID(),
      },
    );
    if (!result.ok) throw new Error(`proposal refused: ${JSON.stringify(result.errors)}`);
    if (result.repeat) throw new Error("a new proposal was taken for a repeat");
    return result.value.proposal;
  };

  const activeVersions = async (workspaceId: string) =>
    (
      await db.prisma.agreedDefinition.findMany({
        where: { workspaceId, state: "active" },
        select: { version: true },
      })
    ).map((d) => d.version);

  /**
   * Proposes employees >= 50 and then >= 100, and has two people accept one each at the same
   * moment; both acceptances must go through. The two versions, in that order.
   */
  const acceptTwoVersionsAtOnce = async (workspace: Workspace) => {
    const v1 = await propose(workspace, "employees >= 50");
    const v2 = await propose(workspace, "employees >= 100");
    const decide = (version: number, userId: string) =>
      decideDefinition(
        { repos, now: () => new Date() },
        { workspace, version, userId, accept: true },
      );
    const results = await Promise.allSettled([
      decide(v1.version, "U0SALES1"),
      decide(v2.version, "U0SALES2"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    return [v1.version, v2.version] as const;
  };

  it("two people accepting two versions at once leave exactly one of them active", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const workspace = await newWorkspace(db.prisma);
      const [v1, v2] = await acceptTwoVersionsAtOnce(workspace);
      const active = await activeVersions(workspace.id);
      expect(active).toHaveLength(1);
      const other = active[0] === v1 ? v2 : v1;
      expect((await repos.agreedDefinitions.get(workspace.id, other))?.state).toBe("superseded");
      expect((await repos.agreedDefinitions.active(workspace.id))?.version).toBe(active[0]);
    }
  });

  it("after two acceptances at once, every waiting lead is checked against the version left active", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const workspace = await newWorkspace(db.prisma);
      await repos.leads.upsertMany(
        workspace.id,
        Array.from({ length: WAITING_LEADS }, (_, i) =>
          leadToStore({
            externalId: `crm-${i}`,
            email: `lead${i}@acme.example`,
            createdAt: new Date("2026-11-16T08:30:00Z"),
            // Meets version 1 (>= 50), not version 2 (>= 100): the check shows which one ran last.
            fields: { employees: 75 },
          }),
        ),
      );
      const [v1] = await acceptTwoVersionsAtOnce(workspace);
      const active = await repos.agreedDefinitions.active(workspace.id);
      const checks = await db.prisma.lead.groupBy({
        by: ["definitionVersion", "definitionStatus"],
        where: { workspaceId: workspace.id },
        _count: true,
      });
      expect(checks).toEqual([
        {
          definitionVersion: active?.version,
          definitionStatus: active?.version === v1 ? "met" : "not_met",
          _count: WAITING_LEADS,
        },
      ]);
    }
  });

  it("the database refuses a second active version written directly", async () => {
    const workspace = await newWorkspace(db.prisma);
    const v1 = await propose(workspace, "employees >= 50");
    const v2 = await propose(workspace, "employees >= 100");
    await repos.agreedDefinitions.accept(workspace.id, v1.version, "U0SALES", new Date());
    const refusal = await db.pool
      .query(
        `update agreed_definition set state = 'active' where "workspaceId" = $1 and version = $2`,
        [workspace.id, v2.version],
      )
      .then(
        () => "written",
        (error: { code?: string }) => error.code,
      );
    expect(refusal).toBe("23505");
    expect(await activeVersions(workspace.id)).toEqual([v1.version]);
  });

  it("two proposals submitted at once both get a version of their own", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const workspace = await newWorkspace(db.prisma);
      const results = await Promise.allSettled([
        propose(workspace, "employees >= 50", "U0MARKETING1"),
        propose(workspace, "region in NA, EU", "U0MARKETING2"),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
      const history = await repos.agreedDefinitions.history(workspace.id);
      expect(history.map((d) => d.version)).toEqual([2, 1]);
      expect(new Set(history.map((d) => d.proposedBy))).toEqual(
        new Set(["U0MARKETING1", "U0MARKETING2"]),
      );
    }
  });
});
