import type { ClaimedHubSpotChange } from "../db/repositories/hubspot-change-repository.ts";
import { isAppError } from "../domain/app-error.ts";
import type { HubSpotChangeObject } from "../domain/hubspot-webhook.ts";
import { hubspotContactProperties, ownerIdOf } from "../imports/crm-mapping.ts";
import type { Logger } from "../log.ts";
import { HUBSPOT_BATCH_READ, type HubSpotCrm } from "../outbound/crm/hubspot.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { contactChanges, dealChanges, HUBSPOT_DEAL_PROPERTIES } from "./crm-sync/hubspot.ts";
import { emptySyncReport, openCrmRun } from "./crm-sync/open-run.ts";
import { type SyncDeps, storePage } from "./crm-sync/store-page.ts";
import { eraseLead } from "./delete-lead.ts";

/**
 * Tries of one change before it is left to the sync, waiting 30 s, then twice that, …: the sync
 * reads every change by its last-modified time anyway, so a change given up is only slower. A
 * privacy deletion is never given up (no sync ever sees it): it is tried again at the last wait.
 */
export const HUBSPOT_CHANGE_MAX_ATTEMPTS = 5;

/** Who erased a lead for a contact.privacyDeletion, as the audit log names it. */
export const HUBSPOT_PRIVACY_DELETION_ACTOR = "hubspot:contact.privacyDeletion";

export interface HubSpotFetchReport {
  fetched: number;
  /** Leads erased because HubSpot deleted their contact for privacy. */
  erased: number;
  retrying: number;
  /** Changes given up after their last try, left to the next sync. */
  leftToSync: number;
}

type FetchDeps = Omit<SyncDeps, "slack"> & {
  log: Logger;
  /** The workspace's Slack: owners matched by email, and the cards of erased leads emptied. */
  slack: {
    gateway(workspaceId: string): Promise<Pick<SlackGateway, "userIdByEmail" | "updateMessage">>;
  };
};

/**
 * Fetches the HubSpot objects webhooks named, by id, and stores them as the sync does
 * (crm-sync/hubspot.ts): contacts as leads (mapping, campaign aliases, owners as Slack users),
 * merges folded, deals as outcomes. A new lead gets its card like any new lead. An object a
 * deletion event named that HubSpot no longer has is deleted by the sync's rules (a judged lead
 * is kept); one HubSpot answers with its survivor was merged. A contact deleted for privacy is
 * not read: its lead is erased as `leadfit lead delete` erases one, verdicts and outcomes too.
 * Changes are claimed with a lease, so replicas share the work and a crashed fetch is taken up
 * again; storing twice changes nothing.
 */
export async function fetchHubSpotChanges(deps: FetchDeps): Promise<HubSpotFetchReport> {
  const report: HubSpotFetchReport = { fetched: 0, erased: 0, retrying: 0, leftToSync: 0 };
  for (;;) {
    const claimed = await deps.repos.hubspotChanges.claim(deps.now(), HUBSPOT_BATCH_READ);
    if (claimed.length === 0) return report;
    const byWorkspace = new Map<string, ClaimedHubSpotChange[]>();
    for (const change of claimed)
      byWorkspace.set(change.workspaceId, [...(byWorkspace.get(change.workspaceId) ?? []), change]);
    for (const [workspaceId, changes] of byWorkspace) {
      // Apart, so that a failing read of HubSpot never holds back an erasure, nor the reverse.
      const privacyDeleted = changes.filter((c) => c.privacyDeleted);
      await carryOut(deps, privacyDeleted, report, async () => {
        report.erased += await erase(deps, workspaceId, privacyDeleted);
      });
      const others = changes.filter((c) => !c.privacyDeleted);
      await carryOut(deps, others, report, async () => {
        await fetchForWorkspace(deps, workspaceId, others);
        report.fetched += others.length;
      });
    }
  }
}

/** Does `work` for claimed changes, then forgets them; if it fails, they are tried again later. */
async function carryOut(
  deps: FetchDeps,
  changes: readonly ClaimedHubSpotChange[],
  report: HubSpotFetchReport,
  work: () => Promise<void>,
): Promise<void> {
  if (changes.length === 0) return;
  try {
    await work();
    await deps.repos.hubspotChanges.finish(changes);
  } catch (error) {
    await retryOrLeave(deps, changes, error, report);
  }
}

/**
 * Erases the leads of contacts HubSpot deleted for privacy, each as `leadfit lead delete` does
 * (audited, its card emptied); a contact that never was a lead, or was erased already, is
 * nothing to erase. A card Slack would not empty is logged with its place, to remove by hand.
 */
async function erase(
  deps: FetchDeps,
  workspaceId: string,
  changes: readonly ClaimedHubSpotChange[],
): Promise<number> {
  let erased = 0;
  for (const change of changes) {
    const deleted = await eraseLead(
      { db: deps.db, gateway: () => deps.slack.gateway(workspaceId) },
      {
        workspaceId,
        externalId: change.objectId,
        actor: HUBSPOT_PRIVACY_DELETION_ACTOR,
        erasedFrom: "hubspot",
      },
    );
    if (!deleted) continue;
    erased += 1;
    if (deleted.card && !deleted.card.scrubbed)
      deps.log.error("A lead erased for HubSpot's privacy deletion keeps its card in Slack", {
        workspaceId,
        channelId: deleted.card.channelId,
        ts: deleted.card.ts,
        problem: deleted.card.problem,
        action: "delete that message by hand",
      });
  }
  return erased;
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
    const page = await contactChanges(deps, {
      run,
      ownerEmails: owned ? await hubspot.ownerEmails() : new Map(),
      contacts: records,
    });
    // A merged id answers its survivor, which lists it: only an id found nowhere is gone.
    const found = new Set([...records.map((r) => r.id), ...(page.merged ?? []).map((m) => m.from)]);
    await storePage(deps, {
      run,
      page: { ...page, deleted: gone(contacts, found) },
      source: "webhook",
    });
  }
  const deals = of("deals");
  if (deals.length > 0) {
    const records = await read(hubspot, "deals", deals, HUBSPOT_DEAL_PROPERTIES);
    const page = await dealChanges({ hubspot }, { deals: records });
    const found = new Set(records.map((r) => r.id));
    await storePage(deps, {
      run,
      page: { ...page, deletedOpportunities: gone(deals, found) },
      source: "webhook",
    });
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
  deps: FetchDeps,
  changes: readonly ClaimedHubSpotChange[],
  error: unknown,
  report: HubSpotFetchReport,
): Promise<void> {
  const reason = isAppError(error) ? error.userMessage : String(error);
  const attempts = Math.max(...changes.map((c) => c.attempts));
  const privacy = changes.some((c) => c.privacyDeleted);
  if (attempts >= HUBSPOT_CHANGE_MAX_ATTEMPTS && !privacy) {
    await deps.repos.hubspotChanges.finish(changes);
    report.leftToSync += changes.length;
    deps.log.warn("HubSpot changes left to the next sync after failed fetches", {
      workspaceId: changes[0]?.workspaceId,
      changes: changes.length,
      error: reason,
    });
    return;
  }
  const waits = Math.min(attempts, HUBSPOT_CHANGE_MAX_ATTEMPTS) - 1;
  const at = new Date(deps.now().getTime() + 30_000 * 2 ** waits);
  await deps.repos.hubspotChanges.retryLater(changes, reason, at);
  report.retrying += changes.length;
  // A privacy deletion past its last wait is an error someone must see: it is still not done.
  const level = privacy && attempts >= HUBSPOT_CHANGE_MAX_ATTEMPTS ? "error" : "warn";
  deps.log[level](
    privacy
      ? "HubSpot privacy deletions not carried out; trying again"
      : "HubSpot changes not fetched; trying again",
    {
      workspaceId: changes[0]?.workspaceId,
      changes: changes.length,
      at: at.toISOString(),
      error: reason,
      stack: isAppError(error) ? undefined : (error as Error)?.stack,
    },
  );
}
