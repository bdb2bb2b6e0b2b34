import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedServer } from "../../src/db/embedded-server.ts";

// The server in this process over an in-memory PGlite of its own, whatever database the run uses.
const IDLE_IN_TRANSACTION_MS = 200;

let db: PGlite;
let server: EmbeddedServer;
let url: string;

beforeAll(async () => {
  db = await PGlite.create();
  server = new EmbeddedServer(db, { idleInTransactionMs: IDLE_IN_TRANSACTION_MS });
  url = `postgresql://postgres@127.0.0.1:${await server.listen("127.0.0.1")}/postgres`;
});

afterAll(async () => {
  await server.close();
  await db.close();
});

async function connect(): Promise<{ client: pg.Client; errors: Error[] }> {
  const client = new pg.Client({ connectionString: url });
  const errors: Error[] = [];
  client.on("error", (error) => errors.push(error));
  await client.connect();
  return { client, errors };
}

describe("stall #4: a connection idle inside its transaction is cut off", () => {
  it("rolls back A's transaction and closes A, so B's query completes", async () => {
    const a = await connect();
    const b = await connect();
    try {
      await a.client.query("create table idle_test (note text)");
      await a.client.query("begin");
      await a.client.query("insert into idle_test values ('written by a, never committed')");
      // A now sends nothing; B waits behind A's transaction until A is cut off.
      const { rows } = await b.client.query<{ n: number }>(
        "select count(*)::int as n from idle_test",
      );
      expect(rows).toEqual([{ n: 0 }]);
      // A learns why it was closed.
      await expect(a.client.query("commit")).rejects.toThrow();
      expect(a.errors.map((e) => e.message).join()).toMatch(/idle-in-transaction timeout/);
    } finally {
      await a.client.end().catch(() => {});
      await b.client.end();
    }
  }, 10_000);

  it("leaves a connection alone while its transaction keeps working", async () => {
    const a = await connect();
    try {
      await a.client.query("create table busy_test (n int)");
      await a.client.query("begin");
      // Several pauses shorter than the cut-off add up to longer than it.
      for (let i = 0; i < 8; i++) {
        await new Promise((resolve) => setTimeout(resolve, IDLE_IN_TRANSACTION_MS / 4));
        await a.client.query("insert into busy_test values ($1)", [i]);
      }
      await a.client.query("commit");
      const { rows } = await a.client.query<{ n: number }>(
        "select count(*)::int as n from busy_test",
      );
      expect(rows).toEqual([{ n: 8 }]);
      expect(a.errors).toEqual([]);
    } finally {
      await a.client.end();
    }
  });
});

describe("stall #4: a connection that kept others waiting lets them go first", () => {
  /**
   * What `then` finds on two connections just after A kept B waiting: A worked half a second
   * inside a transaction, now committed, while B's first query (`bFirst`) waited for it. A owes B
   * as long.
   */
  const afterAKeptBWaiting = async <T>(
    then: (a: pg.Client, b: pg.Client, bFirst: Promise<unknown>) => Promise<T>,
  ): Promise<T> => {
    const a = await connect();
    const b = await connect();
    try {
      await a.client.query("begin");
      const aWorks = a.client.query("select pg_sleep(0.5)");
      const bFirst = b.client.query("select 1");
      await aWorks;
      await a.client.query("commit");
      return await then(a.client, b.client, bFirst);
    } finally {
      await a.client.end();
      await b.client.end();
    }
  };

  it("runs B's next statement before A's next transaction", async () => {
    const order: string[] = [];
    await afterAKeptBWaiting(async (a, b, bFirst) => {
      // Both go on at once: A with another transaction, B with its next statement.
      const aAgain = (async () => {
        await a.query("begin");
        order.push("a began again");
        await a.query("commit");
      })();
      const bNext = (async () => {
        await bFirst;
        await b.query("select 2");
        order.push("b answered");
      })();
      await Promise.all([aAgain, bNext]);
    });
    expect(order).toEqual(["b answered", "a began again"]);
  });

  it("lets A go on at once when no one else wants the session", async () => {
    const first = await afterAKeptBWaiting(async (a, _b, bFirst) => {
      await bFirst;
      // B wants nothing more: A's next statement runs well before its debt is paid.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return Promise.race([
        a.query("select 2").then(() => "a answered"),
        new Promise((resolve) => setTimeout(() => resolve("debt paid first"), 400)),
      ]);
    });
    expect(first).toBe("a answered");
  });
});

describe("PGlite runs no autovacuum: the server analyzes changed tables itself", () => {
  it("analyzes a table once more than 50 + 10 % of its rows changed, and leaves the others", async () => {
    const own = await PGlite.create();
    const checking = new EmbeddedServer(own, { analyzeCheckMs: 0 });
    const client = new pg.Client({
      connectionString: `postgresql://postgres@127.0.0.1:${await checking.listen("127.0.0.1")}/postgres`,
    });
    try {
      await client.connect();
      await client.query("create table grown (n int primary key)");
      await client.query("create table touched (n int primary key)");
      await client.query("insert into grown select generate_series(1, 1000)");
      await client.query("insert into touched select generate_series(1, 50)");
      // PostgreSQL publishes a session's table statistics at most once a second, unless asked.
      await client.query("select pg_stat_force_next_flush()");
      const analyzed = async () =>
        (
          await client.query<{ relname: string; analyzed: number }>(
            "select relname, analyze_count::int as analyzed from pg_stat_user_tables order by relname",
          )
        ).rows;
      // The check before this query finds what changed and analyzes it.
      expect(await analyzed()).toEqual([
        { relname: "grown", analyzed: 1 },
        { relname: "touched", analyzed: 0 },
      ]);
    } finally {
      await client.end();
      await checking.close();
      await own.close();
    }
  });
});
