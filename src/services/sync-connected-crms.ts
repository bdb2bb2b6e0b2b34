import type { Deps } from "../deps.ts";

/** How often connected workspaces are synced; HubSpot's webhooks bring single changes sooner. */
export const CRM_SYNC_INTERVAL_MS = 5 * 60_000;

/**
 * Syncs every connected workspace in turn, on its own loop: a slow or failing CRM delays only the
 * next CRM sync, never cards, webhooks or Slack's requests. A workspace's failure is recorded on
 * its connection (App Home, `leadfit crm status`) and the next workspace goes on.
 */
export async function syncConnectedCrms(deps: Deps): Promise<void> {
  const workspaceIds = await deps.repos.crmConnections.connectedWorkspaces();
  if (workspaceIds.length === 0) return;
  // The vendors' clients load with the first connected workspace: loaded at start they cost every
  // process about half a second and 50 MiB, CRM or not.
  const { syncCrm } = await import("./sync-crm.ts");
  for (const workspaceId of workspaceIds) {
    try {
      const report = await syncCrm(deps, { workspaceId });
      if (report.error) deps.log.warn("CRM sync failed", { workspaceId, error: report.error });
      if (report.leadsKept > 0)
        deps.log.info("CRM records deleted; their leads kept for their verdicts or outcomes", {
          workspaceId,
          kept: report.leadsKept,
        });
    } catch (error) {
      deps.log.error("CRM sync failed", { workspaceId, error: String(error) });
    }
  }
}
