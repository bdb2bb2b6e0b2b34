import type { Deps } from "../../../deps.ts";
import { isAppError } from "../../../domain/app-error.ts";
import type { Verdict } from "../../../domain/verdict.ts";
import { openFeedbackModal } from "../../../services/open-feedback-modal.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { triggerRequestKey } from "../parse/request-keys.ts";
import { leadIdValue } from "../parse/values.ts";
import { refreshHome } from "../refresh-home.ts";
import { logRepeat, reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/**
 * ❌ Not a fit (reasons are required) and "Change": the feedback modal for the card's lead. A lead
 * the workspace does not have is told through the response URL, or on App Home by showing the home
 * again without it.
 */
export function feedbackModalButton(deps: Deps, initialVerdict: Verdict | undefined) {
  return async ({ ack, body, action, gateway, respond }: ButtonArgs): Promise<void> => {
    await ack();
    let workspaceId: string | undefined;
    try {
      const leadId = leadIdValue.parse(action.value);
      const workspace = await interactionWorkspace(deps, body);
      workspaceId = workspace.id;
      const requestKey = triggerRequestKey(body.trigger_id);
      const opened = await openFeedbackModal(
        { ...deps, gateway },
        {
          workspaceId: workspace.id,
          triggerId: body.trigger_id,
          requestKey,
          lead: leadId,
          channelId: body.channel?.id,
          initialVerdict,
        },
      );
      if (!opened) logRepeat(deps, requestKey, "open the feedback modal");
    } catch (error) {
      if (body.container?.type === "view" && workspaceId && isAppError(error)) {
        await refreshHome(
          deps,
          gateway,
          { workspaceId, viewerId: body.user.id },
          "open the feedback modal",
        );
        return;
      }
      await reportError(deps, error, "open the feedback modal", respond);
    }
  };
}
