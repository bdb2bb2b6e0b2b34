import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { databaseKind, databaseUrl, newWorkspace } from "../support/database.ts";

describe("openDatabase by URL", () => {
  it(`on the ${databaseKind} database: prepared statements, and a pool on a server, one connection on the embedded one`, async () => {
    const db = await openDatabase({ databaseUrl, dataDir: "" }, { migrate: false });
    try {
      const workspace = await newWorkspace(db.prisma);
      // One query at a time, so each runs on the connection the last one gave back.
      for (let i = 0; i < 3; i++)
        await db.prisma.workspace.findUnique({ where: { id: workspace.id } });
      const [prepared] = await db.prisma.$queryRaw<{ count: number }[]>`
        select count(*)::int as count from pg_prepared_statements where name like '%leadfit\\_%'`;
      expect(prepared?.count).toBeGreaterThanOrEqual(2);
      expect(db.pool.options.max).toBe(databaseKind === "server" ? 10 : 1);
    } finally {
      await db.close();
    }
  });
});
