import type { StoredCrmConnection } from "../../db/repositories/crm-connection-repository.ts";
import {
  type CrmCredentials,
  openCredentials,
  requireEncryptionKey,
  sealCredentials,
} from "../../domain/crm-connection.ts";
import type { Workspace } from "../../domain/workspace.ts";
import { crmMappingOf } from "../../imports/crm-mapping.ts";
import { type CrmClient, crmClientFor } from "../../outbound/crm/clients.ts";
import type { CrmSyncReport, CrmSyncRun, SyncDeps } from "./store-page.ts";

const DAY_MS = 86_400_000;

export function emptySyncReport(): CrmSyncReport {
  return {
    kind: "synced",
    counts: { leadsCreated: 0, leadsUpdated: 0, leadsRemoved: 0, outcomes: 0, verdictsWritten: 0 },
    leadsKept: 0,
    skipped: 0,
    firstSkipReason: null,
    error: null,
  };
}

/**
 * A workspace's connection opened for reading: the CRM's client (renewed tokens sealed and kept)
 * and the run its pages are stored with. `full` forgets the cursors: everything is read again.
 */
export async function openCrmRun(
  deps: SyncDeps,
  input: {
    connection: StoredCrmConnection;
    workspace: Workspace;
    startedAt: Date;
    report: CrmSyncReport;
    full?: boolean;
  },
): Promise<{ client: CrmClient; run: CrmSyncRun }> {
  const { connection, workspace, startedAt } = input;
  const key = requireEncryptionKey(deps.config.crm.encryptionKey);
  const client = crmClientFor(
    deps.config.crm,
    openCredentials(key, connection.sealedCredentials),
    (renewed: CrmCredentials) =>
      deps.repos.crmConnections.replaceCredentials(workspace.id, sealCredentials(key, renewed)),
    deps.tuning,
  );
  const run: CrmSyncRun = {
    workspace,
    definition: await deps.repos.agreedDefinitions.active(workspace.id),
    crm: client.kind,
    mapping: crmMappingOf(connection.kind, connection.mapping),
    cursors: input.full ? {} : connection.cursors,
    backfillFrom: new Date(startedAt.getTime() - connection.backfillDays * DAY_MS),
    startedAt,
    report: input.report,
    slackUsers: new Map(),
  };
  return { client, run };
}
