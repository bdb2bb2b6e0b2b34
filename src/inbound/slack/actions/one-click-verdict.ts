import type { Deps } from "../../../deps.ts";
import { isAppError } from "../../../domain/app-error.ts";
import type { Verdict } from "../../../domain/verdict.ts";
import { recordVerdict } from "../../../services/record-verdict.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { actionRequestKey } from "../parse/request-keys.ts";
import { leadIdValue } from "../parse/values.ts";
import { refreshHome } from "../refresh-home.ts";
import { logRepeat, reportError } from "../report-error.ts";
import { interactionTeamId } from "../workspace-of-request.ts";

/**
 * ✅ Good fit and ⏳ Not yet: one click records the verdict, and queues its card's update with it.
 * Both are committed before Slack gets its acknowledgement; a click from App Home shows the home
 * again after it. The same click sent again (a retry, a replay) is acknowledged and changes nothing.
 */
export function oneClickVerdict(deps: Deps, verdict: Verdict) {
  return async ({ ack, body, action, gateway, respond }: ButtonArgs): Promise<void> => {
    const leadId = leadIdValue.safeParse(action.value);
    if (!leadId.success) {
      await ack();
      await reportError(
        deps,
        new Error(`bad lead id in a verdict button: ${action.value}`),
        "verdict button",
        respond,
      );
      return;
    }
    const fromHome = body.container?.type === "view";
    let workspaceId: string | undefined;
    let requestKey: string | undefined;
    let repeat = false;
    try {
      workspaceId = await interactionTeamId(deps, body);
      requestKey = actionRequestKey(body, action);
      ({ repeat } = await recordVerdict(deps, {
        workspaceId,
        leadId: leadId.data,
        verdict,
        reasons: [],
        note: null,
        userId: body.user.id,
        requestKey,
      }));
    } catch (error) {
      // Not stored: an expected refusal is acknowledged and explained; anything else is not
      // acknowledged, so Slack shows the click failed, and the person is told why.
      if (isAppError(error)) await ack();
      // App Home has no response URL: there the home is shown again, without the lead.
      if (fromHome && workspaceId && isAppError(error)) {
        await refreshHome(deps, gateway, { workspaceId, viewerId: body.user.id }, "verdict button");
      } else {
        await reportError(deps, error, "verdict button", respond);
      }
      if (!isAppError(error)) throw error;
      return;
    }
    await ack();
    if (repeat) return logRepeat(deps, requestKey, "verdict button");
    if (fromHome)
      await refreshHome(
        deps,
        gateway,
        { workspaceId, viewerId: body.user.id },
        "App Home after a verdict",
      );
  };
}
