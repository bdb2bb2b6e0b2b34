import { describe, expect, it } from "vitest";
import { LeadRepository } from "../../src/db/repositories/lead-repository.ts";
import { OutcomeRepository } from "../../src/db/repositories/outcome-repository.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../support/database.ts";

describe("the outcome repository", () => {
  const { db } = suiteDatabase();

  async function leadIn(workspaceId: string) {
    return new LeadRepository(db.prisma).upsert(
      workspaceId,
      leadToStore({ createdAt: new Date("2026-03-10T09:00:00Z") }),
    );
  }

  it("creates by (external id, type), changes nothing for the same values and updates other values", async () => {
    const { id: workspaceId } = await newWorkspace(db.prisma);
    const lead = await leadIn(workspaceId);
    const outcomes = new OutcomeRepository(db.prisma);
    const opportunity = {
      externalId: "opp-1",
      leadId: lead.id,
      type: "opportunity" as const,
      at: new Date("2026-04-01T10:00:00.123Z"),
      amount: 12000,
    };
    const won = { ...opportunity, type: "won" as const, at: new Date("2026-05-02T00:00:00Z") };
    expect(await outcomes.upsert(workspaceId, [won, opportunity])).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(await outcomes.upsert(workspaceId, [opportunity, won])).toEqual({
      created: 0,
      updated: 0,
      unchanged: 2,
    });
    expect(await outcomes.upsert(workspaceId, [opportunity, { ...won, amount: 15000.5 }])).toEqual({
      created: 0,
      updated: 1,
      unchanged: 1,
    });
    expect(await outcomes.upsert(workspaceId, [{ ...opportunity, amount: null }])).toEqual({
      created: 0,
      updated: 1,
      unchanged: 0,
    });
    expect(await outcomes.forLead(workspaceId, lead.id)).toEqual([
      { ...opportunity, amount: null },
      { ...won, amount: 15000.5 },
    ]);
  });

  it("keeps the same external id apart in two workspaces, and goes with its lead", async () => {
    const [a, b] = [await newWorkspace(db.prisma), await newWorkspace(db.prisma)];
    const [leadA, leadB] = [await leadIn(a.id), await leadIn(b.id)];
    const outcomes = new OutcomeRepository(db.prisma);
    const at = new Date("2026-04-01T10:00:00Z");
    for (const [workspace, lead] of [
      [a, leadA],
      [b, leadB],
    ] as const)
      expect(
        await outcomes.upsert(workspace.id, [
          { externalId: "opp-1", leadId: lead.id, type: "opportunity", at, amount: 1 },
        ]),
      ).toMatchObject({ created: 1 });
    await new LeadRepository(db.prisma).deleteWithHistory(a.id, leadA.externalId);
    expect(await db.prisma.outcome.count({ where: { workspaceId: a.id } })).toBe(0);
    expect(await outcomes.forLead(b.id, leadB.id)).toHaveLength(1);
    expect(await outcomes.forLead(a.id, leadB.id)).toEqual([]);
  });
});
