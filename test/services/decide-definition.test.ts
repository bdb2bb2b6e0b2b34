import { describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/app-error.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { type DecideInput, decideDefinition } from "../../src/services/decide-definition.ts";
import { proposeDefinition } from "../../src/services/propose-definition.ts";
import { recordVerdict } from "../../src/services/record-verdict.ts";
import { leadToStore, newWorkspace, suiteDatabase } from "../support/database.ts";

const MARKETER = "U0DEFMKT01";
const MARKETER_TOO = "U0DEFMKT02";
const SALES_LEAD = "U0DEFSAL01";
const NOW = new Date("2026-03-11T12:00:00Z");

describe("deciding on a proposed lead definition", () => {
  const { db, repos } = suiteDatabase();

  async function workspaceWithProposal(): Promise<{ workspace: Workspace; version: number }> {
    const stored = await newWorkspace(db.prisma);
    const workspace = {
      ...stored,
      salesTeam: [SALES_LEAD],
      marketingTeam: [MARKETER, MARKETER_TOO],
    };
    const proposed = await proposeDefinition(
      { repos },
      {
        workspaceId: workspace.id,
        text: "employees >= 50",
        userId: MARKETER,
        requestKey: `view:${workspace.id}`,
      },
    );
    if (!proposed.ok || proposed.repeat) throw new Error("the rule text was refused");
    return { workspace, version: proposed.value.proposal.version };
  }

  const decide = (input: DecideInput) => decideDefinition({ repos, now: () => NOW }, input);

  async function refusal(input: DecideInput): Promise<AppError> {
    const error = await decide(input).catch((e: unknown) => e);
    if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${error}`);
    return error;
  }

  const newLead = (workspaceId: string, employees: number) =>
    repos.leads.upsert(
      workspaceId,
      leadToStore({ createdAt: new Date("2026-03-10T09:00:00Z"), fields: { employees } }),
    );

  it("is refused to the proposer and to the proposer's own team, and the version stays proposed", async () => {
    const { workspace, version } = await workspaceWithProposal();
    const own = await refusal({ workspace, version, userId: MARKETER, accept: true });
    expect([own.code, own.userMessage]).toEqual([
      "definition_not_allowed",
      "You proposed this version: someone on the other team has to accept it.",
    ]);
    const sameTeam = await refusal({ workspace, version, userId: MARKETER_TOO, accept: true });
    expect([sameTeam.code, sameTeam.userMessage]).toEqual([
      "definition_not_allowed",
      "Only someone on the other team than the proposer can decide on this version.",
    ]);
    expect((await repos.agreedDefinitions.get(workspace.id, version))?.state).toBe("proposed");
    expect(await repos.agreedDefinitions.active(workspace.id)).toBeUndefined();
  });

  it("accepted by the other team, re-checks exactly the leads still waiting for a verdict", async () => {
    const { workspace, version } = await workspaceWithProposal();
    const small = await newLead(workspace.id, 10);
    const large = await newLead(workspace.id, 500);
    const judged = await newLead(workspace.id, 10);
    await recordVerdict(
      { repos, now: () => NOW },
      {
        workspaceId: workspace.id,
        leadId: judged.id,
        verdict: "fit",
        reasons: [],
        note: null,
        userId: SALES_LEAD,
        requestKey: `action:${judged.id}`,
      },
    );

    const result = await decide({ workspace, version, userId: SALES_LEAD, accept: true });
    expect(result.rechecked).toBe(2);
    expect(result.definition).toMatchObject({ version, state: "active" });
    expect((await repos.agreedDefinitions.active(workspace.id))?.version).toBe(version);
    const definitionOf = async (id: string) =>
      (await repos.leads.get(workspace.id, id))?.definition;
    expect(await definitionOf(small.id)).toEqual({
      status: "not_met",
      failures: [{ text: "employees >= 50", reason: "failed" }],
      version,
    });
    expect(await definitionOf(large.id)).toEqual({ status: "met", failures: [], version });
    // A lead with a verdict keeps the check it was judged against.
    expect(await definitionOf(judged.id)).toEqual({
      status: "unknown",
      failures: [],
      version: null,
    });
  });

  it("declined, activates nothing and re-checks no lead; a decided version cannot be decided again", async () => {
    const { workspace, version } = await workspaceWithProposal();
    const waiting = await newLead(workspace.id, 10);
    const result = await decide({ workspace, version, userId: SALES_LEAD, accept: false });
    expect(result.rechecked).toBe(0);
    expect(result.definition.state).toBe("declined");
    expect(await repos.agreedDefinitions.active(workspace.id)).toBeUndefined();
    expect((await repos.leads.get(workspace.id, waiting.id))?.definition.status).toBe("unknown");

    const again = await refusal({ workspace, version, userId: SALES_LEAD, accept: true });
    expect([again.code, again.userMessage]).toEqual([
      "definition_decided",
      `Version ${version} was already decided (declined).`,
    ]);
  });

  it("refuses a version that does not exist", async () => {
    const { workspace, version } = await workspaceWithProposal();
    const error = await refusal({
      workspace,
      version: version + 1,
      userId: SALES_LEAD,
      accept: true,
    });
    expect([error.code, error.userMessage]).toEqual([
      "definition_not_found",
      "That proposal no longer exists.",
    ]);
  });
});
