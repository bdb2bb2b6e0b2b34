import type { Deps } from "../../../deps.ts";
import { noticeModal } from "../../../presentation/slack/notice.ts";
import { settingsModal } from "../../../presentation/slack/settings-modal.ts";
import { publishAppHome } from "../../../services/publish-app-home.ts";
import { requireAdmin } from "../../../services/require-admin.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { offsetValue } from "../parse/values.ts";
import { reportError, userMessageOf } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/** "More" on App Home: the next ten leads. */
export function moreLeadsButton(deps: Deps) {
  return async ({ ack, body, action, gateway }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const workspace = await interactionWorkspace(deps, body);
      const offset = offsetValue.catch(0).parse(action.value);
      await publishAppHome(
        { ...deps, gateway },
        { workspaceId: workspace.id, viewerId: body.user.id, offset },
      );
    } catch (error) {
      await reportError(deps, error, "App Home paging");
    }
  };
}

/** "Settings" on App Home, for admins (checked here, on the server, not by the button's presence). */
export function openSettingsButton(deps: Deps) {
  return async ({ ack, body, gateway }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const workspace = await interactionWorkspace(deps, body);
      await requireAdmin(deps, { workspace, userId: body.user.id });
      const [metrics, viewer] = await Promise.all([
        deps.repos.metrics.catalogue(workspace.id),
        workspace.timezone ? undefined : gateway.userInfo(body.user.id),
      ]);
      await gateway.openView(
        body.trigger_id,
        settingsModal({ workspace, metrics, timezoneSuggestion: viewer?.timezone ?? null }),
      );
    } catch (error) {
      await reportError(deps, error, "open settings");
      await gateway
        .openView(body.trigger_id, noticeModal("Leadfit settings", userMessageOf(error)))
        .catch(() => {});
    }
  };
}
