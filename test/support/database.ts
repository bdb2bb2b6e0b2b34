import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import type { PrismaClient } from "../../src/db/generated/client.ts";
import { createPrisma } from "../../src/db/prisma.ts";
import { createRepositories, type Repositories } from "../../src/db/repositories/index.ts";
import type { LeadToStore } from "../../src/db/repositories/lead-repository.ts";
import { WorkspaceRepository } from "../../src/db/repositories/workspace-repository.ts";
import type { Workspace } from "../../src/domain/workspace.ts";

export const databaseUrl = inject("databaseUrl");
export const databaseKind = inject("databaseKind");

export interface TestDatabase {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A connection to the run's database. Tests stay apart by working in workspaces of their own. */
export function connectTestDatabase(): TestDatabase {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: databaseKind === "embedded" ? 1 : 4,
  });
  const prisma = createPrisma(pool);
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * The run's database and its repositories for the tests of the file or describe block that calls
 * this, closed after them. Connecting is lazy: nothing is opened until a test asks.
 */
export function suiteDatabase(): { db: TestDatabase; repos: Repositories } {
  const db = connectTestDatabase();
  afterAll(() => db.close());
  return { db, repos: createRepositories(db) };
}

export function uniqueId(prefix = "T"): string {
  return `${prefix}${randomBytes(5).toString("hex").toUpperCase()}`;
}

/**
 * A lead as the repository stores it, with only what a test names: by default a unique CRM id
 * and email, no name, company, title, campaign or owner, no fields, and no definition check.
 */
export function leadToStore(
  lead: Pick<LeadToStore, "createdAt"> & Partial<LeadToStore>,
): LeadToStore {
  return {
    externalId: uniqueId("crm-"),
    email: `${uniqueId("l").toLowerCase()}@acme.example`,
    name: null,
    company: null,
    title: null,
    campaignId: null,
    owner: null,
    fields: {},
    definition: { status: "unknown", failures: [], version: null },
    ...lead,
  };
}

export function newWorkspace(
  prisma: PrismaClient,
  overrides: { timezone?: string } = {},
): Promise<Workspace> {
  const repository = new WorkspaceRepository(prisma);
  const id = uniqueId();
  return repository.ensure(id, `Test ${id}`).then(async (workspace) => {
    if (!overrides.timezone) return workspace;
    await prisma.workspace.update({ where: { id }, data: { timezone: overrides.timezone } });
    return { ...workspace, timezone: overrides.timezone };
  });
}
