import type { Deps } from "../../deps.ts";
import { hubspotChangesDue } from "../../services/hubspot-changes-due.ts";

/**
 * Fetches the HubSpot objects webhooks named, on a loop of its own: a slow or failing HubSpot
 * delays only the next round of fetches, never cards, webhooks or Slack's requests.
 */
export async function fetchMarkedHubSpotChanges(deps: Deps): Promise<void> {
  if (!(await hubspotChangesDue(deps))) return;
  // HubSpot's client loads with the first change, as for the sync (sync-connected-crms.ts).
  const { fetchHubSpotChanges } = await import("../../services/fetch-hubspot-changes.ts");
  await fetchHubSpotChanges(deps);
}
