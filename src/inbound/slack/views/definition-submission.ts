import type { Deps } from "../../../deps.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { userMessageOf } from "../../../services/error-notice.ts";
import { type ProposeResult, proposeDefinition } from "../../../services/propose-definition.ts";
import { shareDefinitionProposal } from "../../../services/share-definition-proposal.ts";
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
      result = await proposeDefinition(deps, {
        workspaceId: workspace.id,
        text: parseRulesForm(view.state.values),
        userId: body.user.id,
        requestKey,
      });
    } catch (error) {
      // The modal stays open with the reason (e.g. busy, try again): the text is not lost.
      await reportError(deps, error, "propose a definition");
      return ack({
        response_action: "errors",
        errors: { [INPUTS.rules]: userMessageOf({ error }) },
      });
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
    await shareDefinitionProposal(
      { ...deps, gateway },
      { workspace, ...result.value, proposedBy: body.user.id },
    );
  };
}
