import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import type { Verdict } from "../../../domain/verdict.ts";
import { SlackGateway } from "../../gateway.ts";
import { leadIdValue } from "../../parse/values.ts";
import { openFeedbackModal } from "../open-feedback-modal.ts";
import { interactionWorkspace, reportError } from "../support.ts";

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** ❌ Not a fit (reasons are required) and "Change": the feedback modal for the card's lead. */
export function openVerdictModal(deps: Deps, initialVerdict: Verdict | undefined) {
  return async ({ ack, body, action, client, respond }: Args): Promise<void> => {
    await ack();
    try {
      const leadId = leadIdValue.parse(action.value);
      const workspace = await interactionWorkspace(deps, body);
      await openFeedbackModal(deps, new SlackGateway(client), {
        workspaceId: workspace.id,
        triggerId: body.trigger_id,
        lead: leadId,
        channelId: body.channel?.id,
        initialVerdict,
      });
    } catch (error) {
      await reportError(deps, error, "open the feedback modal", respond);
    }
  };
}
