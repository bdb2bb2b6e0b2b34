import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/app-error.ts";
import type { Lead } from "../../src/domain/lead.ts";
import { VERDICT_NOTE_MAX } from "../../src/domain/verdict.ts";
import { type RecordVerdictInput, recordVerdict } from "../../src/services/record-verdict.ts";
import { newWorkspace, suiteDatabase, uniqueId } from "../support/database.ts";

const REP = "U0REP00001";
const NOW = new Date("2026-03-11T12:00:00Z");

describe("recording a verdict", () => {
  const { db, repos } = suiteDatabase();
  let workspaceId: string;
  beforeAll(async () => {
    workspaceId = (await newWorkspace(db.prisma)).id;
  });

  async function newLead(definitionStatus: "met" | "not_met" = "met"): Promise<Lead> {
    return repos.leads.upsert(workspaceId, {
      externalId: uniqueId("crm-"),
      email: `${uniqueId("l").toLowerCase()}@acme.example`,
      name: "Ada",
      company: "Acme",
      title: "CMO",
      campaignId: null,
      owner: null,
      createdAt: new Date("2026-03-10T09:00:00Z"),
      fields: { employees: 120 },
      definition: { status: definitionStatus, failures: [], version: 1 },
    });
  }

  const record = (lead: Lead, input: Partial<RecordVerdictInput>) =>
    recordVerdict(
      { repos, now: () => NOW },
      {
        workspaceId,
        leadId: lead.id,
        verdict: "fit",
        reasons: [],
        note: null,
        userId: REP,
        requestKey: `action:${randomUUID()}`,
        ...input,
      },
    ).then((recorded) => {
      if (recorded.repeat) throw new Error("a new request was taken for a repeat");
      return recorded.value;
    });

  async function refusal(lead: Lead, input: Partial<RecordVerdictInput>): Promise<AppError> {
    const error = await record(lead, input).catch((e: unknown) => e);
    if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${error}`);
    expect(await repos.feedback.history(workspaceId, lead.id)).toEqual([]);
    return error;
  }

  it("stores a not-a-fit verdict with its reasons once each, the note trimmed, who and when, and the definition snapshot", async () => {
    const lead = await newLead("met");
    const stored = await record(lead, {
      verdict: "not_fit",
      reasons: ["no_budget", "company_too_small", "no_budget"],
      note: "  met every field, still no budget  ",
    });
    expect(stored).toMatchObject({
      leadId: lead.id,
      verdict: "not_fit",
      reasons: ["no_budget", "company_too_small"],
      note: "met every field, still no budget",
      userId: REP,
      givenAt: NOW,
      definitionStatus: "met",
    });
    expect(await repos.feedback.current(workspaceId, lead.id)).toEqual(stored);
  });

  it("keeps reasons to not-a-fit verdicts only, and stores a blank note as none", async () => {
    const lead = await newLead("not_met");
    const stored = await record(lead, {
      verdict: "not_yet",
      reasons: ["no_budget"],
      note: "   ",
    });
    expect(stored).toMatchObject({
      verdict: "not_yet",
      reasons: [],
      note: null,
      definitionStatus: "not_met",
    });
  });

  it("refuses a not-a-fit verdict without a reason, naming the reasons field, and stores nothing", async () => {
    const error = await refusal(await newLead(), { verdict: "not_fit", reasons: [] });
    expect(error.code).toBe("invalid_verdict");
    expect(error.userMessage).toBe("Pick at least one reason: it tells marketing what to change.");
    expect(error.issues).toEqual([{ index: 0, field: "reasons", message: error.userMessage }]);
  });

  it("refuses a reason outside the workspace's taxonomy, naming it", async () => {
    const error = await refusal(await newLead(), {
      verdict: "not_fit",
      reasons: ["no_budget", "bad_vibes", "cosmic_rays"],
    });
    expect(error.issues).toEqual([
      {
        index: 0,
        field: "reasons",
        message: "Unknown reason: bad_vibes, cosmic_rays. Pick from the list.",
      },
    ]);
  });

  it("takes a note of exactly the longest length and refuses a longer one", async () => {
    const longest = "n".repeat(VERDICT_NOTE_MAX);
    expect((await record(await newLead(), { note: longest })).note).toBe(longest);
    const error = await refusal(await newLead(), { note: `${longest}n` });
    expect(error.issues).toEqual([
      {
        index: 0,
        field: "note",
        message: `Keep the note under ${VERDICT_NOTE_MAX} characters.`,
      },
    ]);
  });

  it("gives a one-click not-yet verdict the default revisit date, 90 days on in the workspace's timezone", async () => {
    // 12:00 UTC on 11 March is already 12 March in Auckland.
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { timezone: "Pacific/Auckland" },
    });
    try {
      const lead = await newLead();
      const notYet = await record(lead, { verdict: "not_yet" });
      expect(notYet.revisitOn).toBe("2026-06-10");
      expect((await repos.feedback.current(workspaceId, lead.id))?.revisitOn).toBe("2026-06-10");
      const fit = await record(lead, { verdict: "fit", revisitOn: "2026-05-01" });
      expect(fit.revisitOn).toBeNull();
    } finally {
      await db.prisma.workspace.update({ where: { id: workspaceId }, data: { timezone: null } });
    }
  });

  it("keeps a picked revisit date after today and within a year, and refuses others, naming the field", async () => {
    const lead = await newLead();
    expect((await record(lead, { verdict: "not_yet", revisitOn: "2026-04-01" })).revisitOn).toBe(
      "2026-04-01",
    );
    for (const revisitOn of ["2026-03-11", "2027-03-12"]) {
      const error = await record(lead, { verdict: "not_yet", revisitOn }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).issues.map((i) => i.field)).toEqual(["revisitOn"]);
    }
    expect(await repos.feedback.history(workspaceId, lead.id)).toHaveLength(1);
  });

  it("refuses a verdict on a lead the workspace does not have", async () => {
    const lead = await newLead();
    const error = await record({ ...lead, id: "00000000-0000-4000-8000-000000000000" }, {}).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("lead_not_found");
  });
});
