import type { Deps } from "../../deps.ts";
import type { SlackGateway } from "../../outbound/slack/gateway.ts";
import { appHome } from "../../presentation/slack/app-home.ts";
import { loadAppHome } from "../../services/app-home.ts";

/**
 * The viewer's App Home, published again so a lead judged or gone leaves the list. A verdict's
 * card update is not done here: it is queued with the verdict and the card outbox does it.
 */
export async function refreshHome(
  deps: Deps,
  gateway: SlackGateway,
  input: { workspaceId: string; userId: string },
): Promise<void> {
  const workspace = await deps.repos.workspaces.get(input.workspaceId);
  if (!workspace) return;
  const home = await loadAppHome(deps, { workspace, viewerId: input.userId });
  await gateway.publishHome(input.userId, appHome(home));
}
