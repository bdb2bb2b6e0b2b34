import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openEmbedded } from "../../src/db/embedded.ts";
import { migrate } from "../../src/db/migrations/migrate.ts";
import { createServerDatabase, dropServerDatabase } from "./server-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "embedded" | "server";
  }
}

/**
 * One PostgreSQL for the whole run: a fresh database on TEST_DATABASE_URL's server when it is set,
 * else an embedded one in a temporary folder, served on loopback by this process.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  if (serverUrl) {
    const url = await createServerDatabase(serverUrl);
    await migrate(url);
    project.provide("databaseUrl", url);
    project.provide("databaseKind", "server");
    return () => dropServerDatabase(serverUrl, url);
  }
  const dataDir = await mkdtemp(join(tmpdir(), "leadfit-test-"));
  const embedded = await openEmbedded({ dataDir });
  await migrate(embedded.url);
  project.provide("databaseUrl", embedded.url);
  project.provide("databaseKind", "embedded");
  return async () => {
    await embedded.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}
