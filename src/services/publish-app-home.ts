import type { CrmConfig } from "../config.ts";
import type { Repositories } from "../db/repositories/index.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { appHome } from "../presentation/slack/app-home.ts";
import { loadAppHome } from "./app-home.ts";

/**
 * The viewer's App Home, built and published (again): on opening it, paging it, and after
 * anything that changes what it shows — a lead judged, a setting or schedule saved. A verdict's
 * card update is not done here: it is queued with the verdict and the card outbox does it. With
 * `requestKey` (opening it), once per request: a repeat of it (Slack's retry) publishes nothing and
 * gives false.
 */
export async function publishAppHome(
  deps: {
    repos: Repositories;
    admins: AdminDirectory;
    now: () => Date;
    config: { crm: CrmConfig };
    gateway: SlackGateway;
  },
  input: { workspaceId: string; viewerId: string; offset?: number; requestKey?: string },
): Promise<boolean> {
  const { workspaceId, requestKey } = input;
  if (requestKey && !(await deps.repos.slackRequests.claim(workspaceId, requestKey))) return false;
  const workspace = await deps.repos.workspaces.get(workspaceId);
  if (!workspace) return true;
  const home = await loadAppHome(deps, { ...input, workspace });
  await deps.gateway.publishHome(input.viewerId, appHome(home));
  return true;
}
