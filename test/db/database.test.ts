import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { databaseKind, databaseUrl } from "../support/database.ts";

describe("openDatabase by URL", () => {
  it(`on the ${databaseKind} database: prepared statements, and a pool on a server, one connection on the embedded one`, async () => {
    const db = await openDatabase({ databaseUrl, dataDir: "" }, { migrate: false });
    try {
      // A statement no other test runs, three times, each on the connection the last one gave back.
      const tag = `prepared ${randomUUID()}`;
      for (let i = 0; i < 3; i++) {
        const rows = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
          `select $1::int as n, '${tag}' as tag`,
          i,
        );
        expect(rows[0]?.n).toBe(i);
      }
      // Prepared once, under a name of Leadfit's, and kept.
      const prepared = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
        "select name from pg_prepared_statements where statement like $1",
        `%${tag}%`,
      );
      expect(prepared).toHaveLength(1);
      expect(prepared[0]?.name).toMatch(/leadfit_/);
      expect(db.pool.options.max).toBe(databaseKind === "server" ? 10 : 1);
    } finally {
      await db.close();
    }
  });

  it.runIf(databaseKind === "server")(
    "stall #4: on a server, the app's connections end a transaction left idle for 30 s",
    async () => {
      const db = await openDatabase({ databaseUrl, dataDir: "" }, { migrate: false });
      try {
        const { rows } = await db.pool.query<{ idle_in_transaction_session_timeout: string }>(
          "show idle_in_transaction_session_timeout",
        );
        expect(rows).toEqual([{ idle_in_transaction_session_timeout: "30s" }]);
      } finally {
        await db.close();
      }
    },
  );
});
