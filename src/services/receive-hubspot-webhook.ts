import type { Repositories } from "../db/repositories/index.ts";
import { hubspotAccount } from "../domain/crm-connection.ts";
import { type HubSpotWebhookDelivery, hubspotChanges } from "../domain/hubspot-webhook.ts";
import type { Logger } from "../log.ts";

export interface HubSpotWebhookReceipt {
  /** Objects marked to fetch, counted once per workspace. */
  marked: number;
  /** Portals no workspace is connected to: their events are dropped. */
  unknownPortals: number[];
}

/**
 * Takes a HubSpot webhook delivery in: each contact and deal it names is marked to fetch by id
 * for every workspace connected to its portal, stored before HubSpot gets its answer, and fetched
 * by its own job (fetch-hubspot-changes.ts), so the answer never waits on HubSpot's API. A portal
 * no workspace is connected to is logged and dropped: answered like any other, so HubSpot does
 * not send it again and again. Events of types Leadfit does not handle (association changes, say)
 * are only counted in the log, by type.
 */
export async function receiveHubSpotWebhook(
  deps: { repos: Repositories; now: () => Date; log: Logger },
  input: HubSpotWebhookDelivery,
): Promise<HubSpotWebhookReceipt> {
  if (Object.keys(input.ignored).length > 0)
    deps.log.info("HubSpot webhook events of types Leadfit does not handle; ignored", {
      ignored: input.ignored,
    });
  const receipt: HubSpotWebhookReceipt = { marked: 0, unknownPortals: [] };
  for (const [portalId, changes] of hubspotChanges(input.events)) {
    const workspaceIds = await deps.repos.crmConnections.workspacesOfAccount(
      "hubspot",
      hubspotAccount(portalId),
    );
    if (workspaceIds.length === 0) {
      receipt.unknownPortals.push(portalId);
      continue;
    }
    for (const workspaceId of workspaceIds) {
      await deps.repos.hubspotChanges.mark(workspaceId, changes, deps.now());
      receipt.marked += changes.length;
    }
  }
  if (receipt.unknownPortals.length > 0)
    deps.log.info("HubSpot webhook for portals no workspace is connected to; ignored", {
      portals: receipt.unknownPortals,
    });
  return receipt;
}
