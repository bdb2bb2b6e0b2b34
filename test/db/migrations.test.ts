import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbedded } from "../../src/db/embedded.ts";
import { diffSchemas, EMPTY_MIGRATION } from "../../src/db/migrations/diff.ts";
import {
  MIGRATIONS_DIR,
  migrate,
  readMigrations,
  readSchema,
  SNAPSHOT_FILE,
} from "../../src/db/migrations/migrate.ts";
import { databaseKind, databaseUrl } from "../support/database.ts";
import { startDatabaseProcess } from "../support/processes.ts";
import { createServerDatabase, dropServerDatabase } from "../support/server-database.ts";

// What a schema looks like from PostgreSQL's catalog, with the schema's own name taken out so two
// schemas built different ways can be compared.
async function catalog(
  client: pg.Client,
  schema: string,
): Promise<{ columns: string[]; indexes: string[]; constraints: string[]; enums: string[] }> {
  const rows = async (sql: string) =>
    (await client.query(sql, [schema])).rows.map((r) => JSON.stringify(r).replaceAll(schema, "S"));
  return {
    columns: await rows(
      `select table_name, column_name, data_type, udt_name, is_nullable, column_default
       from information_schema.columns where table_schema = $1 order by table_name, column_name`,
    ),
    indexes: await rows(
      `select tablename, indexname, indexdef from pg_indexes where schemaname = $1 order by indexname`,
    ),
    constraints: await rows(
      `select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(c.oid) as def
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where n.nspname = $1 order by conname`,
    ),
    enums: await rows(
      `select t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder) as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = $1 group by t.typname order by t.typname`,
    ),
  };
}

async function buildSchema(client: pg.Client, schema: string, sql: string): Promise<void> {
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.query(`create schema ${schema}`);
  await client.query(`set search_path to ${schema}`);
  // Prisma's scripts create "public" first; it exists already, so that line changes nothing.
  await client.query(sql);
  await client.query("set search_path to public");
}

describe("migrations", () => {
  let pool: pg.Pool;
  let client: pg.Client;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client.query("drop schema if exists drift_committed cascade");
    await client.query("drop schema if exists drift_expected cascade");
    await client.end();
    await pool.end();
  });

  it("are in Prisma's standard layout, each with the schema it was made from", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) {
      expect(m.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(m.sql.length).toBeGreaterThan(0);
    }
    const lock = await readFile(join(MIGRATIONS_DIR, "migration_lock.toml"), "utf8");
    expect(lock).toContain('provider = "postgresql"');
  });

  it("leave no drift: the last snapshot is schema.prisma", async () => {
    const last = (await readMigrations()).at(-1);
    if (!last) throw new Error("no migrations");
    const snapshot = await readFile(join(MIGRATIONS_DIR, last.name, SNAPSHOT_FILE), "utf8");
    const sql = await diffSchemas(
      pool,
      { path: "schema.prisma", content: snapshot },
      await readSchema(),
    );
    expect(sql.trim()).toBe(EMPTY_MIGRATION);
  });

  it("leave no drift: applied in order they build exactly what schema.prisma describes", async () => {
    const committed = (await readMigrations()).map((m) => m.sql).join("\n");
    const expected = await diffSchemas(pool, undefined, await readSchema());
    await buildSchema(client, "drift_committed", committed);
    await buildSchema(client, "drift_expected", expected);
    const actual = await catalog(client, "drift_committed");
    expect(actual.columns.length).toBeGreaterThan(50);
    expect(actual).toEqual(await catalog(client, "drift_expected"));
  });

  it("apply nothing to a database that is up to date", async () => {
    expect(await migrate(databaseUrl)).toEqual([]);
    const recorded = await client.query(
      "select migration_name from _prisma_migrations where finished_at is not null order by migration_name",
    );
    expect(recorded.rows.map((r) => r.migration_name)).toEqual(
      (await readMigrations()).map((m) => m.name),
    );
  });

  it("create every table on an empty database, once, when two processes start together", async () => {
    let target: string;
    let cleanUp: () => Promise<void>;
    if (databaseKind === "server") {
      const serverUrl = process.env.TEST_DATABASE_URL as string;
      target = await createServerDatabase(serverUrl);
      cleanUp = () => dropServerDatabase(serverUrl, target);
    } else {
      target = await mkdtemp(join(tmpdir(), "leadfit-migrate-"));
      cleanUp = () => rm(target, { recursive: true, force: true });
    }
    // Empty: a new embedded folder would otherwise start from the build's migrated template.
    const processes = [
      startDatabaseProcess(target, "empty"),
      startDatabaseProcess(target, "empty"),
    ];
    try {
      const reports = await Promise.all(processes.map((p) => p.report));
      const names = (await readMigrations()).map((m) => m.name);
      expect(reports.flatMap((r) => r.applied).sort()).toEqual(names);
      for (const report of reports) expect(report.tables).toBe(reports[0]?.tables);
      expect(reports[0]?.tables).toBeGreaterThanOrEqual(19);
      if (databaseKind === "embedded") {
        // One owns the folder and serves it; the other connects to it.
        expect(reports.map((r) => r.owner).sort()).toEqual([false, true]);
      }
      // In-process calls are serialised too, and a second round applies nothing. The embedded
      // folder is joined through the process that serves it, as any other leadfit process would.
      const joined =
        databaseKind === "server"
          ? { url: target, close: async () => {} }
          : await openEmbedded({ dataDir: target });
      try {
        expect(await Promise.all([migrate(joined.url), migrate(joined.url)])).toEqual([[], []]);
      } finally {
        await joined.close();
      }
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
      await cleanUp();
    }
  });

  it("apply a migration committed after the database was last migrated", async () => {
    const dir = await mkdtemp(join(tmpdir(), "leadfit-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    let target: { url: string; close(): Promise<void> };
    if (databaseKind === "server") {
      const serverUrl = process.env.TEST_DATABASE_URL as string;
      const url = await createServerDatabase(serverUrl);
      target = { url, close: () => dropServerDatabase(serverUrl, url) };
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), "leadfit-migrate-"));
      const embedded = await openEmbedded({ dataDir, fromTemplate: false });
      target = {
        url: embedded.url,
        close: async () => {
          await embedded.close();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    }
    try {
      const committed = (await readMigrations()).map((m) => m.name);
      expect(await migrate(target.url, () => {}, dir)).toEqual(committed);
      const added = "99990101000000_later_table";
      await mkdir(join(dir, added));
      await writeFile(join(dir, added, "migration.sql"), 'CREATE TABLE "later" ("id" INTEGER);\n');
      expect(await migrate(target.url, () => {}, dir)).toEqual([added]);
      expect(await migrate(target.url, () => {}, dir)).toEqual([]);
    } finally {
      await target.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
