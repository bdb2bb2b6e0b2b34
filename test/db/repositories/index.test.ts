import { describe, expect, it } from "vitest";
import { transaction } from "../../../src/db/repositories/index.ts";
import { newWorkspace, suiteDatabase, uniqueId } from "../../support/database.ts";

const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe("transaction: repositories bound to one transaction", () => {
  const { db } = suiteDatabase();

  it("keeps every write of the work, across repositories, when it ends well", async () => {
    const workspace = await newWorkspace(db.prisma);
    const key = uniqueId("c");
    await transaction(db, async (repos) => {
      await repos.campaigns.ensureKeys(workspace.id, [key]);
      await repos.workspaces.setTimezone(workspace.id, "Europe/Berlin");
    });
    expect(await db.prisma.campaign.count({ where: { workspaceId: workspace.id, key } })).toBe(1);
    expect((await db.prisma.workspace.findUnique({ where: { id: workspace.id } }))?.timezone).toBe(
      "Europe/Berlin",
    );
  });

  it("writes nothing when the work throws, also what a repository wrote in a transaction of its own", async () => {
    const workspace = await newWorkspace(db.prisma);
    const key = uniqueId("c");
    const failure = transaction(db, async (repos) => {
      await repos.campaigns.ensureKeys(workspace.id, [key]);
      // setWebhook opens no transaction of its own inside this one: it joins it.
      await repos.workspaces.setWebhook(
        workspace.id,
        { url: "https://example.com/hook", secret: "s" },
        "U1",
      );
      throw new Error("refused");
    });
    await expect(failure).rejects.toThrow("refused");
    expect(await db.prisma.campaign.count({ where: { workspaceId: workspace.id, key } })).toBe(0);
    expect(
      (await db.prisma.workspace.findUnique({ where: { id: workspace.id } }))?.webhookUrl,
    ).toBeNull();
    expect(await db.prisma.auditEntry.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });

  it("runs the work again from the start when the database asks for a retry", async () => {
    const workspace = await newWorkspace(db.prisma);
    const key = uniqueId("c");
    let attempts = 0;
    const result = await transaction(
      db,
      async (repos) => {
        attempts += 1;
        await repos.campaigns.ensureKeys(workspace.id, [key]);
        if (attempts === 1) {
          throw Object.assign(new Error("deadlock detected"), {
            code: "40P01",
            severity: "ERROR",
          });
        }
        return attempts;
      },
      { policy: FAST },
    );
    expect(result).toBe(2);
    expect(await db.prisma.campaign.count({ where: { workspaceId: workspace.id, key } })).toBe(1);
  });
});
