import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { databaseKind, databaseUrl, newWorkspace } from "../support/database.ts";

describe("openDatabase by URL", () => {
  it(`on the ${databaseKind} database: a server gets a pool and prepared statements, the embedded one a single connection without them`, async () => {
    const db = await openDatabase({ databaseUrl, dataDir: "" }, { migrate: false });
    try {
      const workspace = await newWorkspace(db.prisma);
      // One query at a time, so each runs on the connection the last one gave back.
      for (let i = 0; i < 3; i++)
        await db.prisma.workspace.findUnique({ where: { id: workspace.id } });
      const [prepared] = await db.prisma.$queryRaw<{ count: number }[]>`
        select count(*)::int as count from pg_prepared_statements where name like 'leadfit\\_%'`;
      if (databaseKind === "server") {
        expect(db.pool.options.max).toBe(10);
        expect(prepared?.count).toBeGreaterThanOrEqual(2);
      } else {
        expect(db.pool.options.max).toBe(1);
        expect(prepared?.count).toBe(0);
      }
    } finally {
      await db.close();
    }
  });
});
