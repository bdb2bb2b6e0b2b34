import { beforeAll, describe, expect, it } from "vitest";
import { ReasonRepository } from "../../src/db/repositories/reason-repository.ts";
import type { Reason } from "../../src/domain/taxonomy.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { defineReasons, listReasons, retireReason } from "../../src/services/reason-catalogue.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";

describe("the reason catalogue", () => {
  const { db } = suiteDatabase();
  let reasons: ReasonRepository;
  let workspace: Workspace;

  beforeAll(async () => {
    reasons = new ReasonRepository(db.prisma);
    workspace = await newWorkspace(db.prisma);
  });

  it("adds, changes and retires reasons; a retired one stays stored", async () => {
    const workspaceId = workspace.id;
    const country: Reason = {
      key: "wrong_country",
      label: "Country we do not serve",
      owner: "marketing",
    };
    expect(
      await defineReasons(
        { db },
        {
          workspaceId,
          reasons: [country, { key: "no_budget", label: "No budget this year", owner: "need" }],
        },
      ),
    ).toMatchObject({ created: 1, updated: 1 });
    expect(await listReasons({ repos: { reasons } }, { workspaceId })).toContainEqual(country);

    await retireReason({ repos: { reasons } }, { workspaceId, key: country.key, at: new Date() });
    expect(await listReasons({ repos: { reasons } }, { workspaceId })).not.toContainEqual(country);
    expect(await reasons.list(workspaceId, { includeRetired: true })).toContainEqual(country);
    await expect(
      retireReason({ repos: { reasons } }, { workspaceId, key: country.key, at: new Date() }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
