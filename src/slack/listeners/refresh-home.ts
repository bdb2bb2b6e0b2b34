import type { Deps } from "../../deps.ts";
import { loadAppHome } from "../../services/app-home.ts";
import { cardUpdate } from "../../services/ingest-leads.ts";
import { refreshLeadCard } from "../../services/lead-card.ts";
import { appHome } from "../blocks/app-home.ts";
import type { SlackGateway } from "../gateway.ts";

/**
 * The slow part of a verdict, after Slack has its acknowledgement: the card is updated in place
 * and, when asked (the click came from App Home, or a modal), the reviewer's App Home shows the
 * lead gone; App Home is rebuilt anyway whenever it is opened. The verdict is stored whatever
 * happens here: a card Slack would not update goes to the card outbox, which retries it (and
 * shows admins a card that cannot be updated); other failures are logged.
 */
export async function afterVerdict(
  deps: Deps,
  gateway: SlackGateway,
  input: { workspaceId: string; leadId: string; userId: string; refreshHome: boolean },
): Promise<void> {
  const results = await Promise.allSettled([
    refreshLeadCard(deps.repos, gateway, input.leadId),
    input.refreshHome ? refreshHome(deps, gateway, input) : Promise.resolve(),
  ]);
  for (const result of results) {
    if (result.status === "rejected") {
      deps.log.warn("after a verdict: could not update Slack", {
        leadId: input.leadId,
        error: String(result.reason),
      });
    }
  }
  if (results[0].status === "rejected") {
    await deps.repos.outbox
      .enqueue(input.workspaceId, [cardUpdate(input.leadId)])
      .catch((error: unknown) =>
        deps.log.error("after a verdict: could not queue the card update", {
          leadId: input.leadId,
          error: String(error),
        }),
      );
  }
}

/** The viewer's App Home, published again (a lead judged or gone leaves the list). */
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
