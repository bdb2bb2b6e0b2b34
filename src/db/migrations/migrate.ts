import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import type { SchemaFile } from "./schema-engine.ts";

export const PRISMA_DIR = fileURLToPath(new URL("../../../prisma/", import.meta.url));
export const MIGRATIONS_DIR = join(PRISMA_DIR, "migrations");
export const SCHEMA_PATH = join(PRISMA_DIR, "schema.prisma");
/** Each migration folder keeps the schema it was made from, so the next one is a pure diff. */
export const SNAPSHOT_FILE = "schema.prisma";
const LOCKFILE = "migration_lock.toml";

// Any constant works; it only has to be the same for every leadfit process.
const MIGRATION_LOCK_KEY = 0x1eadf17;

export interface MigrationFolder {
  name: string;
  sql: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFolder[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      sql: await readFile(join(dir, name, "migration.sql"), "utf8"),
    })),
  );
}

export async function readSchema(path = SCHEMA_PATH): Promise<SchemaFile> {
  return { path: "schema.prisma", content: await readFile(path, "utf8") };
}

// Per database within this process. The embedded PostgreSQL runs every connection in one session,
// where advisory locks never block, so this is what keeps two migrations there apart; other
// processes never migrate it (only the process that owns the folder does).
const running = new Map<string, Promise<unknown>>();

/**
 * Applies the committed migrations that the database has not seen, recording them in Prisma's
 * `_prisma_migrations` table. An advisory lock lets several replicas start together.
 */
export function migrate(
  connectionString: string,
  log: (message: string) => void = () => {},
  dir = MIGRATIONS_DIR,
): Promise<string[]> {
  const previous = running.get(connectionString) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => migrateLocked(connectionString, log, dir));
  running.set(connectionString, next);
  return next;
}

/**
 * Whether every migration in `names` is recorded as applied. Most starts find nothing to do, and
 * then the schema engine (a WebAssembly module of tens of megabytes) is never loaded.
 */
async function allApplied(lock: pg.Client, names: string[]): Promise<boolean> {
  const { rows } = await lock.query<{ applied: boolean }>(
    `select to_regclass('_prisma_migrations') is not null as applied`,
  );
  if (!rows[0]?.applied) return false;
  const { rows: recorded } = await lock.query<{ migration_name: string }>(
    `select migration_name from _prisma_migrations
     where finished_at is not null and rolled_back_at is null and migration_name = any($1)`,
    [names],
  );
  return new Set(recorded.map((row) => row.migration_name)).size === names.length;
}

async function migrateLocked(
  connectionString: string,
  log: (message: string) => void,
  dir: string,
): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const lockfileContent = await readFile(join(dir, LOCKFILE), "utf8").catch(() => null);
  // Loaded here, not with the module: see openDatabase's `started`.
  const { default: pg } = await import("pg");
  const lock = new pg.Client({ connectionString });
  // A connection dropped while idle must not crash the process; the next query reports it.
  lock.on("error", () => {});
  await lock.connect();
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on("error", () => {});
  const names = migrations.map((m) => m.name);
  let locked = false;
  try {
    // Most starts find every migration applied (a half-applied one is not finished), which needs
    // no lock to see: two round trips less.
    if (await allApplied(lock, names)) return [];
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    locked = true;
    // Another process may have applied them while this one waited for the lock.
    if (await allApplied(lock, names)) return [];
    const { NO_FILTERS, openSchemaEngine } = await import("./schema-engine.ts");
    const engine = await openSchemaEngine(pool, await readSchema());
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList: {
          baseDir: dir,
          lockfile: { path: LOCKFILE, content: lockfileContent },
          shadowDbInitScript: "",
          migrationDirectories: migrations.map((m) => ({
            path: m.name,
            migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
          })),
        },
        filters: NO_FILTERS,
      });
      for (const name of appliedMigrationNames) log(`applied migration ${name}`);
      return appliedMigrationNames;
    } finally {
      engine.free();
    }
  } finally {
    if (locked) {
      await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
    await lock.end();
    await pool.end();
  }
}
