import type { Deps } from "../../deps.ts";
import type { SlackGateway } from "../../outbound/slack/gateway.ts";
import { publishAppHome } from "../../services/publish-app-home.ts";
import { reportError } from "./report-error.ts";

/**
 * Shows the viewer's App Home again after what changed it. That change is done and answered by
 * then, so a failure here is logged (as `where`), not passed on to the person or to Bolt.
 */
export async function refreshHome(
  deps: Deps,
  gateway: SlackGateway,
  viewer: { workspaceId: string; viewerId: string },
  where: string,
): Promise<void> {
  await publishAppHome({ ...deps, gateway }, viewer).catch((error: unknown) =>
    reportError(deps, error, where),
  );
}
