import type { Repositories } from "../db/repositories/index.ts";
import type { Logger } from "../log.ts";

/** How often not-yet leads are checked for their revisit date: a date starts at local midnight. */
export const NOT_YET_REVISIT_INTERVAL_MS = 5 * 60_000;

/**
 * On its revisit date a not-yet lead comes back to sales: its "back from not yet" card is queued
 * in the card outbox (posted at Slack's pace, once) and App Home lists it with the leads waiting
 * for a verdict. Once per verdict, across replicas and restarts; a lead judged again meanwhile
 * stays where it is. Returns how many leads came back.
 */
export async function bringBackDueNotYetLeads(deps: {
  repos: Repositories;
  log: Logger;
  now: () => Date;
}): Promise<number> {
  const back = await deps.repos.feedback.bringBackDue(deps.now());
  if (back.length > 0) deps.log.info("not-yet leads came back to sales", { count: back.length });
  return back.length;
}
