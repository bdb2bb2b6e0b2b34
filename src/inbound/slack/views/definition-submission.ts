import type { Deps } from "../../../deps.ts";
import { slackErrorCode } from "../../../outbound/slack/gateway.ts";
import { definitionProposalMessage } from "../../../presentation/slack/definition.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { backtestDefinition } from "../../../services/backtest-definition.ts";
import { userMessageOf } from "../../../services/error-notice.ts";
import {
  type ProposeResult,
  proposeDefinition,
  whoCanAccept,
} from "../../../services/propose-definition.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { viewRequestKey } from "../parse/request-keys.ts";
import { parseRulesForm } from "../parse/view-state.ts";
import { logRepeat, reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/**
 * A proposed definition: bad lines come back inline with their line numbers; a valid one is stored
 * and posted to the sales and marketing channels (or the proposer's DM) for the other team. The
 * same submission sent again closes the modal and proposes nothing.
 */
export function definitionSubmission(deps: Deps) {
  return async ({ ack, body, view, gateway }: ViewSubmitArgs): Promise<void> => {
    const workspace = await interactionWorkspace(deps, body);
    const requestKey = viewRequestKey(view);
    let result: ProposeResult;
    try {
      result = await proposeDefinition(deps.repos, {
        workspaceId: workspace.id,
        text: parseRulesForm(view.state.values),
        userId: body.user.id,
        requestKey,
      });
    } catch (error) {
      // The modal stays open with the reason (e.g. busy, try again): the text is not lost.
      await reportError(deps, error, "propose a definition");
      return ack({ response_action: "errors", errors: { [INPUTS.rules]: userMessageOf(error) } });
    }
    if (!result.ok) {
      const lines = result.errors.map((e) => `Line ${e.line}: ${e.message}`);
      return ack({
        response_action: "errors",
        errors: { [INPUTS.rules]: lines.join(" · ").slice(0, 2000) },
      });
    }
    await ack();
    if (result.repeat) return logRepeat(deps, requestKey, "propose a definition");
    const { proposal, previous } = result.value;
    const message = definitionProposalMessage({
      proposal,
      previous,
      whoCanAccept: whoCanAccept(body.user.id, workspace),
      backtest: await backtestDefinition(deps, {
        workspaceId: workspace.id,
        active: previous?.rules,
        proposed: proposal.rules,
        now: deps.now(),
      }).then(
        (figures) => ({ figures, currency: workspace.currency }),
        // The proposal is posted without its backtest rather than not at all.
        (error) => reportError(deps, error, "backtest a proposed definition").then(() => undefined),
      ),
    });
    const channels = [
      ...new Set(
        [workspace.salesChannelId, workspace.marketingChannelId].filter(
          (c): c is string => c !== null,
        ),
      ),
    ];
    // Without team channels the proposal goes to the proposer, to forward to the other team.
    for (const channel of channels.length > 0 ? channels : [body.user.id]) {
      try {
        await gateway.postMessage(channel, message);
      } catch (error) {
        deps.log.warn("could not post a definition proposal", {
          channel,
          error: slackErrorCode(error) ?? String(error),
        });
        await gateway
          .postMessage(body.user.id, {
            text: `Your proposal (version ${proposal.version}) could not be posted to <#${channel}> (${slackErrorCode(error) ?? "error"}). Invite the app there with \`/invite @Leadfit\`.`,
            blocks: [],
          })
          .catch(() => {});
      }
    }
  };
}
