// npm run migration:create -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql as the diff from the schema the last
// migration was made from to prisma/schema.prisma, and keeps a snapshot of the schema beside it.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openEmbedded } from "../embedded.ts";
import { diffSchemas, EMPTY_MIGRATION } from "./diff.ts";
import { MIGRATIONS_DIR, readMigrations, readSchema, SNAPSHOT_FILE } from "./migrate.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run migration:create -- <name in snake_case>");
  process.exit(2);
}

const migrations = await readMigrations();
const last = migrations.at(-1);
const previous = last
  ? {
      path: "schema.prisma",
      content: await readFile(join(MIGRATIONS_DIR, last.name, SNAPSHOT_FILE), "utf8"),
    }
  : undefined;
const current = await readSchema();

// The schema engine wants a live connection even for a pure diff: a throwaway embedded one.
const scratch = await mkdtemp(join(tmpdir(), "leadfit-migration-"));
const embedded = await openEmbedded({ dataDir: scratch });
const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
try {
  const sql = await diffSchemas(pool, previous, current);
  if (sql.trim() === EMPTY_MIGRATION) {
    console.log("schema.prisma has not changed since the last migration; nothing to create");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "migration.sql"), sql);
    await writeFile(join(dir, SNAPSHOT_FILE), current.content);
    await writeFile(join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
    console.log(`created ${dir}`);
  }
} finally {
  await pool.end();
  await embedded.close();
  await rm(scratch, { recursive: true, force: true });
}
