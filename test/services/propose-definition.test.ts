import { describe, expect, it } from "vitest";
import { decideDefinition } from "../../src/services/decide-definition.ts";
import { proposeDefinition } from "../../src/services/propose-definition.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

const teams = { salesTeam: ["U0SALES001"], marketingTeam: ["U0MKT00001"] };

describe("proposing a definition", () => {
  const { db, repos } = suiteDatabase();

  it("refuses rule text with its bad lines by number and stores nothing", async () => {
    const workspace = await newWorkspace(db.prisma);
    const result = await proposeDefinition(
      { repos },
      {
        workspaceId: workspace.id,
        text: "employees >= 50\nthis is not a rule",
        userId: "U0MKT00001",
        requestKey: "view:refused",
      },
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.line)).toEqual([2]);
    expect(await repos.agreedDefinitions.history(workspace.id)).toEqual([]);
  });

  it("stores the next version as proposed, beside the active one it would replace", async () => {
    const workspace = await newWorkspace(db.prisma);
    const propose = async (text: string) => {
      const result = await proposeDefinition(
        { repos },
        {
          workspaceId: workspace.id,
          text,
          userId: "U0MKT00001",
          requestKey: `view:${text}`,
        },
      );
      if (!result.ok || result.repeat) throw new Error("the rule text was refused");
      return result.value;
    };
    const first = await propose("employees >= 50");
    expect(first.previous).toBeUndefined();
    await decideDefinition(
      { repos, now: () => new Date() },
      {
        workspace: { ...workspace, ...teams },
        version: first.proposal.version,
        userId: "U0SALES001",
        accept: true,
      },
    );
    const second = await propose("employees >= 100");
    expect(second.proposal).toMatchObject({
      version: first.proposal.version + 1,
      state: "proposed",
      proposedBy: "U0MKT00001",
    });
    expect(second.previous?.version).toBe(first.proposal.version);
  });
});
