import type { Deps } from "../../../deps.ts";
import { publishAppHome } from "../../../services/publish-app-home.ts";
import type { EventArgs } from "../listener-args.ts";
import { eventRequestKey } from "../parse/request-keys.ts";
import { logRepeat, reportError } from "../report-error.ts";
import { eventWorkspace } from "../workspace-of-request.ts";

/**
 * App Home: leads waiting for the viewer's verdict, this week's figures, settings for admins. Once
 * per event: Slack's retries of it (same event id) publish nothing more.
 */
export function appHomeOpened(deps: Deps) {
  return async ({ event, body, gateway }: EventArgs<"app_home_opened">): Promise<void> => {
    if (event.tab !== "home") return;
    try {
      const workspace = await eventWorkspace(deps, body);
      const requestKey = eventRequestKey(body);
      const published = await publishAppHome(
        { ...deps, gateway },
        { workspaceId: workspace.id, viewerId: event.user, requestKey },
      );
      if (!published) logRepeat(deps, requestKey, "App Home");
    } catch (error) {
      await reportError(deps, error, "App Home");
    }
  };
}
