import type { Deps } from "../../../deps.ts";
import { errorNotice } from "../../../services/error-notice.ts";
import { publishAppHome } from "../../../services/publish-app-home.ts";
import { settingsForm } from "../../../services/settings-form.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { offsetValue } from "../parse/values.ts";
import { reportError } from "../report-error.ts";
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
      const form = await settingsForm({ ...deps, gateway }, { workspace, userId: body.user.id });
      await gateway.openView(body.trigger_id, form);
    } catch (error) {
      await reportError(deps, error, "open settings");
      await gateway
        .openView(body.trigger_id, errorNotice({ title: "Leadfit settings", error }))
        .catch(() => {});
    }
  };
}
