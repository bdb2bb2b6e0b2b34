import type { CrmConfig } from "../../src/config.ts";
import type { PrismaClient } from "../../src/db/generated/client.ts";
import { createRepositories } from "../../src/db/repositories/index.ts";
import { type CrmCredentials, openCredentials } from "../../src/domain/crm-connection.ts";
import type { Workspace } from "../../src/domain/workspace.ts";
import { connectCrm } from "../../src/services/connect-crm.ts";
import { newWorkspace, type TestDatabase } from "./database.ts";

/** What a sync test needs: the fakes' addresses, a key, and HubSpot limits a test never waits on. */
export const CRM_TEST_KEY = Buffer.alloc(32, 5);
export const FAST_HUBSPOT = { perTenSeconds: 2000, searchPerSecond: 200 };
export const SALESFORCE_APP = { clientId: "3MVG9-client", clientSecret: "sf-secret" };

export function crmTestConfig(urls: { hubspot: string; salesforce: string }): CrmConfig {
  return {
    encryptionKey: CRM_TEST_KEY,
    hubspot: { apiUrl: urls.hubspot, app: undefined },
    salesforce: { loginUrl: urls.salesforce, app: SALESFORCE_APP },
  };
}

/** The sync's dependencies over the test database, at the fakes. */
export function crmSyncDeps(db: TestDatabase, crm: CrmConfig) {
  const repos = createRepositories(db);
  return {
    db,
    repos,
    config: { crm },
    now: () => new Date(),
    tuning: { hubspotLimits: FAST_HUBSPOT, backoffMs: 1 },
  };
}

/** A new workspace connected with `credentials`. */
export async function connectedWorkspace(
  db: TestDatabase,
  crm: CrmConfig,
  credentials: CrmCredentials,
): Promise<Workspace> {
  const workspace = await newWorkspace(db.prisma);
  await connectCrm(crmSyncDeps(db, crm), {
    workspaceId: workspace.id,
    credentials,
    connectedBy: "cli",
  });
  return workspace;
}

/** The workspace's stored CRM connection: its credentials as sealed in the row, and opened. */
export async function storedCredentials(prisma: PrismaClient, workspaceId: string, key: Buffer) {
  const row = await prisma.crmConnection.findUniqueOrThrow({ where: { workspaceId } });
  return { row, sealed: row.credentials, open: openCredentials(key, row.credentials) };
}
