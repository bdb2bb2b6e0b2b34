import type { Deps } from "../deps.ts";

/** Slack replays a request within five minutes of signing it: a day of keys is plenty. */
const KEPT_FOR_MS = 24 * 60 * 60_000;

/** Forgets the keys of Slack requests handled more than a day ago; returns how many. */
export function forgetOldSlackRequests(deps: Pick<Deps, "repos" | "now">): Promise<number> {
  return deps.repos.slackRequests.forgetBefore(new Date(deps.now().getTime() - KEPT_FOR_MS));
}
