import type { ClaimedHubSpotChange } from "../db/repositories/hubspot-change-repository.ts";
import { isAppError } from "../domain/app-error.ts";
import type { HubSpotChangeObject } from "../domain/hubspot-webhook.ts";
import { ownerIdOf } from "../imports/crm-mapping.ts";
import type { Logger } from "../log.ts";
import { HUBSPOT_BATCH_READ, type HubSpotCrm } from "../outbound/crm/hubspot.ts";
import {
  contactChanges,
  dealChanges,
  HUBSPOT_DEAL_PROPERTIES,
  hubspotContactProperties,
} from "./crm-sync/hubspot.ts";
import { emptySyncReport, openCrmRun } from "./crm-sync/open-run.ts";
import { type SyncDeps, storePage } from "./crm-sync/store-page.ts";

/**
 * Tries of one change before it is left to the sync, waiting 30 s, then twice that, …: the sync
 * reads every change by its last-modified time anyway, so a change given up is only slower.
 */
export const HUBSPOT_CHANGE_MAX_ATTEMPTS = 5;

export interface HubSpotFetchReport {
  fetched: number;
  retrying: number;
  /** Changes given up after their last try, left to the next sync. */
  leftToSync: number;
}

/**
 * Fetches the HubSpot objects webhooks named, by id, and stores them as the sync does
 * (crm-sync/hubspot.ts): contacts as leads (mapping, campaign aliases, owners as Slack users),
 * merges folded, deals as outcomes. A new lead gets its card like any new lead. An object a
 * deletion event named that HubSpot no longer has is deleted by the sync's rules (a judged lead
 * is kept); one HubSpot answers with its survivor was merged. Changes are claimed with a lease, so
 * replicas share the work and a crashed fetch is taken up again; storing twice changes nothing.
 */
export async function fetchHubSpotChanges(
  deps: SyncDeps & { log: Logger },
): Promise<HubSpotFetchReport> {
  const report: HubSpotFetchReport = { fetched: 0, retrying: 0, leftToSync: 0 };
  for (;;) {
    const claimed = await deps.repos.hubspotChanges.claim(deps.now(), HUBSPOT_BATCH_READ);
    if (claimed.length === 0) return report;
    const byWorkspace = new Map<string, ClaimedHubSpotChange[]>();
    for (const change of claimed)
      byWorkspace.set(change.workspaceId, [...(byWorkspace.get(change.workspaceId) ?? []), change]);
    for (const [workspaceId, changes] of byWorkspace) {
      try {
        await fetchForWorkspace(deps, workspaceId, changes);
        await deps.repos.hubspotChanges.finish(changes);
        report.fetched += changes.length;
      } catch (error) {
        await retryOrLeave(deps, changes, error, report);
      }
    }
  }
}

async function fetchForWorkspace(
  deps: SyncDeps,
  workspaceId: string,
  changes: readonly ClaimedHubSpotChange[],
): Promise<void> {
  const connection = await deps.repos.crmConnections.get(workspaceId);
  const workspace = await deps.repos.workspaces.get(workspaceId);
  // Disconnected (or moved to Salesforce) since the webhook: nothing of HubSpot is kept now.
  if (connection?.kind !== "hubspot" || !workspace) return;
  const { client, run } = await openCrmRun(deps, {
    connection,
    workspace,
    startedAt: deps.now(),
    report: emptySyncReport(),
  });
  if (client.kind !== "hubspot") return;
  const { hubspot } = client;
  const of = (objectType: HubSpotChangeObject) =>
    changes.filter((c) => c.objectType === objectType);
  const contacts = of("contacts");
  if (contacts.length > 0) {
    const records = await read(
      hubspot,
      "contacts",
      contacts,
      hubspotContactProperties(run.mapping),
    );
    const owned = records.some((r) => ownerIdOf(run.mapping, r.properties) !== null);
    const page = await contactChanges(
      run,
      owned ? await hubspot.ownerEmails() : new Map(),
      records,
    );
    // A merged id answers its survivor, which lists it: only an id found nowhere is gone.
    const found = new Set([...records.map((r) => r.id), ...(page.merged ?? []).map((m) => m.from)]);
    await storePage(run, { ...page, deleted: gone(contacts, found) }, "webhook");
  }
  const deals = of("deals");
  if (deals.length > 0) {
    const records = await read(hubspot, "deals", deals, HUBSPOT_DEAL_PROPERTIES);
    const page = await dealChanges(hubspot, records);
    const found = new Set(records.map((r) => r.id));
    await storePage(run, { ...page, deletedOpportunities: gone(deals, found) }, "webhook");
  }
}

/** The records by id, each once: several ids merged into one contact answer it several times. */
async function read(
  hubspot: HubSpotCrm,
  object: HubSpotChangeObject,
  changes: readonly ClaimedHubSpotChange[],
  properties: readonly string[],
) {
  const records = await hubspot.read(
    object,
    changes.map((c) => c.objectId),
    properties,
  );
  return [...new Map(records.map((r) => [r.id, r])).values()];
}

/** The ids a deletion event named that HubSpot no longer has. */
function gone(changes: readonly ClaimedHubSpotChange[], found: ReadonlySet<string>): string[] {
  return changes.filter((c) => c.deleted && !found.has(c.objectId)).map((c) => c.objectId);
}

async function retryOrLeave(
  deps: SyncDeps & { log: Logger },
  changes: readonly ClaimedHubSpotChange[],
  error: unknown,
  report: HubSpotFetchReport,
): Promise<void> {
  const reason = isAppError(error) ? error.userMessage : String(error);
  const attempts = Math.max(...changes.map((c) => c.attempts));
  if (attempts >= HUBSPOT_CHANGE_MAX_ATTEMPTS) {
    await deps.repos.hubspotChanges.finish(changes);
    report.leftToSync += changes.length;
    deps.log.warn("HubSpot changes left to the next sync after failed fetches", {
      workspaceId: changes[0]?.workspaceId,
      changes: changes.length,
      error: reason,
    });
    return;
  }
  const at = new Date(deps.now().getTime() + 30_000 * 2 ** (attempts - 1));
  await deps.repos.hubspotChanges.retryLater(changes, reason, at);
  report.retrying += changes.length;
  deps.log.warn("HubSpot changes not fetched; trying again", {
    workspaceId: changes[0]?.workspaceId,
    changes: changes.length,
    at: at.toISOString(),
    error: reason,
    stack: isAppError(error) ? undefined : (error as Error)?.stack,
  });
}
