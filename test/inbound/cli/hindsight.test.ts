import { beforeAll, describe, expect, it } from "vitest";
import { createRepositories } from "../../../src/db/repositories/index.ts";
import type { Workspace } from "../../../src/domain/workspace.ts";
import { recordOutcomes } from "../../../src/services/record-outcomes.ts";
import { runLeadfit } from "../../support/cli.ts";
import { newWorkspace, suiteDatabase } from "../../support/database.ts";

describe("leadfit hindsight", () => {
  const { db } = suiteDatabase();
  let workspace: Workspace;
  const leadfit = (...args: string[]) => runLeadfit([...args, "--workspace", workspace.id]);

  beforeAll(async () => {
    workspace = await newWorkspace(db.prisma);
    const repos = createRepositories(db);
    const lead = await repos.leads.upsert(workspace.id, {
      externalId: "crm-1",
      email: "ada@initech.example",
      name: "Ada",
      company: "Initech",
      title: null,
      campaignId: null,
      owner: null,
      createdAt: new Date("2026-03-10T10:00:00Z"),
      fields: {},
      definition: { status: "met", failures: [], version: 1 },
    });
    await db.prisma.leadFeedback.create({
      data: {
        workspaceId: workspace.id,
        leadId: lead.id,
        verdict: "not_fit",
        reasons: ["no_budget"],
        userId: "U0SAM",
        givenAt: new Date("2026-03-11T10:00:00Z"),
        definitionStatus: "met",
      },
    });
    await recordOutcomes(
      { db },
      {
        workspaceId: workspace.id,
        outcomes: [
          {
            externalId: "opp-1",
            lead: "crm-1",
            type: "won",
            at: new Date("2026-05-01T10:00:00Z"),
            amount: 48000,
          },
        ],
      },
    );
  });

  it("prints the verdicts beside their outcomes and the rejected lead that bought", () => {
    const run = leadfit("hindsight", "--since", "2026-01-01", "--until", "2026-06-30");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("leads created 2026-01-01 – 2026-06-30 (UTC)");
    expect(run.stdout).toMatch(/Not a fit\s+1\s+1\s+1\s+\$48,000/);
    expect(run.stdout).toContain(
      "crm-1 Initech — no_budget — judged by U0SAM on 2026-03-11 — won $48,000",
    );
    expect(run.stdout).toContain(
      "Rejected despite meeting the agreed definition: 1 leads; 1 reached an opportunity, 1 won.",
    );
  });

  it("refuses a cohort size it does not know, naming the option", () => {
    const run = leadfit("hindsight", "--cohort", "year");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--cohort is week or month");
  });
});
