import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/domain/app-error.ts";
import type { OutcomeInput } from "../../src/domain/ingest-schemas.ts";
import { recordOutcomes } from "../../src/services/record-outcomes.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../support/database.ts";

describe("recording outcomes", () => {
  const { db, repos } = suiteDatabase();

  const leadIn = (workspaceId: string) =>
    repos.leads.upsert(workspaceId, leadToStore({ createdAt: new Date("2026-03-10T09:00:00Z") }));

  const outcome = (lead: string, overrides: Partial<OutcomeInput> = {}): OutcomeInput => ({
    externalId: "opp-1",
    lead,
    type: "opportunity",
    at: new Date("2026-04-01T10:00:00Z"),
    amount: 12000,
    ...overrides,
  });

  it("attaches outcomes to the workspace's leads by their CRM id, idempotently", async () => {
    const { id: workspaceId } = await newWorkspace(db.prisma);
    const lead = await leadIn(workspaceId);
    const outcomes = [outcome(lead.externalId), outcome(lead.externalId, { type: "won" })];
    expect(await recordOutcomes({ db }, { workspaceId, outcomes })).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(await recordOutcomes({ db }, { workspaceId, outcomes })).toEqual({
      created: 0,
      updated: 0,
      unchanged: 2,
    });
    const stored = await db.prisma.outcome.findMany({ where: { workspaceId } });
    expect(stored.map((o) => [o.leadId, o.type])).toEqual(
      expect.arrayContaining([
        [lead.id, "opportunity"],
        [lead.id, "won"],
      ]),
    );
  });

  it("refuses a batch naming unknown leads whole, naming each, even a lead of another workspace", async () => {
    const [mine, theirs] = [await newWorkspace(db.prisma), await newWorkspace(db.prisma)];
    const known = await leadIn(mine.id);
    const foreign = await leadIn(theirs.id);
    const outcomes = [
      outcome(known.externalId),
      outcome("crm-nobody", { externalId: "opp-2" }),
      outcome(foreign.externalId, { externalId: "opp-3" }),
    ];
    const refusal = await recordOutcomes({ db }, { workspaceId: mine.id, outcomes }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(refusal) && refusal.code).toBe("invalid_request");
    expect(isAppError(refusal) && refusal.userMessage).toBe(
      "The batch names leads Leadfit does not have; nothing was written.",
    );
    expect(isAppError(refusal) && refusal.issues).toEqual([
      { index: 1, field: "lead", message: "No lead with externalId crm-nobody" },
      { index: 2, field: "lead", message: `No lead with externalId ${foreign.externalId}` },
    ]);
    expect(await db.prisma.outcome.count({ where: { workspaceId: mine.id } })).toBe(0);
  });
});
