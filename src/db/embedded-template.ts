import { cp, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readMigrations } from "./migrations/migrate.ts";

// A new embedded database folder would begin with PostgreSQL's initdb run inside PGlite: about 4 s
// of CPU and a second WebAssembly instance, over 600 MiB at its peak. `npm run build` makes one
// database with every migration applied (make-embedded-template.ts), and a new folder starts as a
// copy of it; migrations committed since are applied on top, as on any folder. Without the build
// (or with another PGlite than the one that made it), a new folder is initialised as before.

/** The same folder from src/db/ (through tsx) and from dist/db/ (the build). */
export const TEMPLATE_DIR = fileURLToPath(
  new URL("../../dist/embedded-template/", import.meta.url),
);

/** A template's database, and what it was made with: the PGlite version, then the migrations. */
export function templateFiles(dir = TEMPLATE_DIR): { pgdata: string; stamp: string } {
  return { pgdata: join(dir, "pgdata"), stamp: join(dir, "made-with") };
}

export async function pgliteVersion(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const packageJson = JSON.parse(await readFile(join(entry, "../../package.json"), "utf8")) as {
    version?: unknown;
  };
  return `pglite ${String(packageJson.version)}`;
}

/** The stamp a template made now would carry. */
export async function templateStamp(): Promise<string> {
  const migrations = await readMigrations();
  return [await pgliteVersion(), ...migrations.map((m) => m.name)].join("\n");
}

/**
 * Fills `pgdata` with a copy of the template when `pgdata` does not exist yet and the template was
 * made by this PGlite; true when it did. The copy is made aside and renamed into place, so a crash
 * midway never leaves a half-copied database behind.
 */
export async function copyEmbeddedTemplate(
  pgdata: string,
  template = templateFiles(),
): Promise<boolean> {
  if (await stat(pgdata).catch(() => undefined)) return false;
  const madeWith = await readFile(template.stamp, "utf8").catch(() => undefined);
  if (madeWith?.split("\n")[0] !== (await pgliteVersion())) return false;
  const partial = `${pgdata}.${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await cp(template.pgdata, partial, { recursive: true });
  await rename(partial, pgdata);
  return true;
}
