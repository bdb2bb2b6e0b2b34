import { AppError, isAppError } from "../domain/app-error.ts";
import { syncHubSpot } from "./crm-sync/hubspot.ts";
import { emptySyncReport, openCrmRun } from "./crm-sync/open-run.ts";
import { syncSalesforce } from "./crm-sync/salesforce.ts";
import type { CrmSyncReport, SyncDeps } from "./crm-sync/store-page.ts";
import { userMessageOf } from "./error-notice.ts";

export type { CrmSyncReport } from "./crm-sync/store-page.ts";

/** How long one sync may hold a connection before another may take over (a crash's lease runs out). */
const SYNC_LEASE_MS = 15 * 60_000;

/**
 * Brings a workspace's leads and their outcomes in from its CRM (HubSpot contacts and deals,
 * Salesforce Leads and Opportunities), with merged and deleted records: a backfill from
 * `backfillDays` ago when an object has no cursor (or `full`), then whatever changed since its
 * cursor. Each page is stored with its cursor in one transaction, so the cursor never runs ahead of what is stored and a crash resumes
 * where the last stored page ended. A failing CRM ends the sync with the error recorded on the
 * connection; nothing of it waits on Slack.
 */
export async function syncCrm(
  deps: SyncDeps,
  input: { workspaceId: string; full?: boolean },
): Promise<CrmSyncReport> {
  const { crmConnections } = deps.repos;
  const connection = await crmConnections.get(input.workspaceId);
  const workspace = await deps.repos.workspaces.get(input.workspaceId);
  if (!connection || !workspace) {
    throw new AppError(
      "not_found",
      `no CRM connection in ${input.workspaceId}`,
      "This workspace has no CRM connection: connect HubSpot or Salesforce first.",
    );
  }
  const report = emptySyncReport();
  const startedAt = deps.now();
  if (
    !(await crmConnections.claimSync(
      input.workspaceId,
      startedAt,
      new Date(startedAt.getTime() + SYNC_LEASE_MS),
    ))
  ) {
    return { ...report, kind: "busy" };
  }
  try {
    if (input.full) await crmConnections.resetCursors(input.workspaceId);
    const { client, run } = await openCrmRun(deps, {
      connection,
      workspace,
      startedAt,
      report,
      full: input.full,
    });
    if (client.kind === "hubspot") await syncHubSpot({ ...deps, hubspot: client.hubspot }, { run });
    else await syncSalesforce({ ...deps, salesforce: client.salesforce }, { run });
  } catch (error) {
    // Recorded whatever it was, so App Home never shows a failed sync as a clean one; only a
    // refusal (an AppError) is the sync's answer, anything else goes on to the caller.
    report.error = userMessageOf({ error });
    if (!isAppError(error)) throw error;
  } finally {
    await crmConnections.finishSync(input.workspaceId, { at: deps.now(), error: report.error });
  }
  return report;
}
