import type pg from "pg";
import { NO_FILTERS, openSchemaEngine, type SchemaFile } from "./schema-engine.ts";

export const EMPTY_MIGRATION = "-- This is an empty migration.";

/** The SQL that takes a database from the `from` schema (or nothing) to the `to` schema. */
export async function diffSchemas(
  pool: pg.Pool,
  from: SchemaFile | undefined,
  to: SchemaFile,
): Promise<string> {
  const engine = await openSchemaEngine(pool, to);
  try {
    const { stdout } = await engine.diff({
      from: from ? { tag: "schemaDatamodel", files: [from] } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [to] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return stdout ?? "";
  } finally {
    engine.free();
  }
}
