import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openEmbedded, takeOwnerLock } from "../../src/db/embedded.ts";
import { startDatabaseProcess } from "../support/processes.ts";

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

// These tests make embedded folders of their own, whichever database the rest of the run uses.
describe("embedded database folder", () => {
  const folders: string[] = [];
  const newFolder = async () => {
    const dir = await mkdtemp(join(tmpdir(), "leadfit-embedded-"));
    folders.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("is served by its owner to other processes, and taken over when the owner dies", async () => {
    const dir = await newFolder();
    const owner = startDatabaseProcess(dir);
    const report = await owner.report;
    expect(report.owner).toBe(true);
    const announced = JSON.parse(await readFile(join(dir, "server.json"), "utf8"));
    expect(announced.pid).toBe(report.pid);

    // While the owner runs, this process connects to it instead of opening the folder.
    const steps: string[] = [];
    const visitor = await openEmbedded({ dataDir: dir, started: () => steps.push("started") });
    expect(visitor.owner).toBe(false);
    expect(steps).toEqual(["started"]);
    await query(visitor.url, "create table kept (note text)");
    await query(visitor.url, "insert into kept values ('written through the owner')");
    await visitor.close();

    // The owner dies without cleaning up: its announcement and lock are stale.
    owner.child.kill("SIGKILL");
    await new Promise((resolve) => owner.child.once("exit", resolve));
    steps.length = 0;
    const successor = await openEmbedded({
      dataDir: dir,
      waitMs: 10_000,
      // Told once the thread has started, before it listens (prepare runs once it does).
      started: () => steps.push("started"),
      prepare: async () => {
        steps.push("prepare");
      },
    });
    try {
      expect(successor.owner).toBe(true);
      expect(steps).toEqual(["started", "prepare"]);
      expect(await query<{ note: string }>(successor.url, "select note from kept")).toEqual([
        { note: "written through the owner" },
      ]);
      const now = JSON.parse(await readFile(join(dir, "server.json"), "utf8"));
      expect(now.pid).toBe(process.pid);
    } finally {
      await successor.close();
    }
  });

  it("is claimed by exactly one of many simultaneous claims (a half-written lock is never seen)", async () => {
    const dir = await newFolder();
    const claims = await Promise.all(Array.from({ length: 100 }, () => takeOwnerLock(dir)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await readFile(join(dir, "owner.lock"), "utf8")).toBe(String(process.pid));
  });

  it("keeps 16 MB of shared buffers, not PostgreSQL's 128 MB, all touched when it opens", async () => {
    const embedded = await openEmbedded({ dataDir: await newFolder() });
    try {
      expect(await query(embedded.url, "show shared_buffers")).toEqual([
        { shared_buffers: "16MB" },
      ]);
    } finally {
      await embedded.close();
    }
  });

  it("keeps its data across a clean restart and removes its announcement on close", async () => {
    const dir = await newFolder();
    const first = await openEmbedded({ dataDir: dir });
    await query(first.url, "create table survivors (n int)");
    await query(first.url, "insert into survivors values (1), (2)");
    await first.close();
    await expect(readFile(join(dir, "server.json"), "utf8")).rejects.toThrow();

    const second = await openEmbedded({ dataDir: dir });
    try {
      expect(second.owner).toBe(true);
      expect(await query<{ n: number }>(second.url, "select n from survivors order by n")).toEqual([
        { n: 1 },
        { n: 2 },
      ]);
    } finally {
      await second.close();
    }
  });
});

describe("the embedded server", () => {
  it("keeps connections apart: interleaved parameterised queries, an open transaction, prepared statements", async () => {
    const dir = await mkdtemp(join(tmpdir(), "leadfit-embedded-"));
    const server = await openEmbedded({ dataDir: dir });
    const pool = new pg.Pool({ connectionString: server.url, max: 6 });
    try {
      await pool.query("create table numbers (n int primary key)");
      // Many clients at once, each with its own parameters: every answer must be its own.
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          pool.query("select $1::int * 2 as doubled, $2::text as tag", [i, `t${i}`]),
        ),
      );
      for (const [i, answer] of answers.entries()) {
        expect(answer.rows[0]).toEqual({ doubled: i * 2, tag: `t${i}` });
      }

      // A transaction holds the session; another connection's write waits for it to commit.
      const tx = await pool.connect();
      await tx.query("begin");
      await tx.query("insert into numbers values ($1)", [1]);
      const outside = pool.query("insert into numbers values ($1) returning n", [2]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await tx.query("select count(*)::int as c from numbers")).rows[0]).toEqual({ c: 1 });
      await tx.query("commit");
      tx.release();
      expect((await outside).rows).toEqual([{ n: 2 }]);

      // A client that dies inside a transaction has it rolled back.
      const dying = new pg.Client({ connectionString: server.url });
      dying.on("error", () => {});
      await dying.connect();
      await dying.query("begin");
      await dying.query("insert into numbers values (99)");
      (
        dying as unknown as { connection: { stream: { destroy(): void } } }
      ).connection.stream.destroy();
      const after = await pool.query("select n from numbers order by n");
      expect(after.rows).toEqual([{ n: 1 }, { n: 2 }]);

      // Every connection prepares the same statement name, each for its own text, and runs it
      // again: no "already exists", and each gets its own statement's answer.
      const clients = await Promise.all(
        Array.from({ length: 3 }, async () => {
          const client = new pg.Client({ connectionString: server.url });
          await client.connect();
          return client;
        }),
      );
      for (let round = 0; round < 2; round++) {
        const answers = await Promise.all(
          clients.map((client, i) =>
            client.query({
              name: "same_name",
              text: `select ${i}::int + $1::int as n`,
              values: [10],
            }),
          ),
        );
        expect(answers.map((a) => a.rows[0])).toEqual([{ n: 10 }, { n: 11 }, { n: 12 }]);
      }
      const named =
        "select count(*)::int as c from pg_prepared_statements where name like '%same\\_name'";
      expect((await pool.query(named)).rows[0]).toEqual({ c: 3 });
      // A connection's statements go with it.
      await Promise.all(clients.map((client) => client.end()));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await pool.query(named)).rows[0]).toEqual({ c: 0 });
    } finally {
      await pool.end();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
