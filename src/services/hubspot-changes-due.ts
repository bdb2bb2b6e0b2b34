import type { Repositories } from "../db/repositories/index.ts";

/**
 * Whether any object a HubSpot webhook named waits to be fetched now: asked on every round of the
 * fetch loop, before the fetch (and with it HubSpot's client) is loaded.
 */
export function hubspotChangesDue(deps: {
  repos: Pick<Repositories, "hubspotChanges">;
  now: () => Date;
}): Promise<boolean> {
  return deps.repos.hubspotChanges.anyDue(deps.now());
}
