import type { Deps } from "../../../deps.ts";
import { postHindsight } from "../../../services/build-hindsight.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { hindsightValue, parseJsonValue } from "../parse/values.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/** "Post to channel with chart" under `/leadfit hindsight`: an ephemeral answer has no chart. */
export function postHindsightButton(deps: Deps) {
  return async ({ ack, body, action, gateway, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const value = parseJsonValue(hindsightValue, action.value);
      const channelId = body.channel?.id;
      if (!value || !channelId) throw new Error(`bad hindsight button: ${action.value}`);
      const workspace = await interactionWorkspace(deps, body);
      await postHindsight(
        { ...deps, gateway },
        {
          workspace,
          campaignKey: value.campaign,
          channelId,
          now: deps.now(),
        },
      );
    } catch (error) {
      await reportError(deps, error, "post hindsight", respond);
    }
  };
}
