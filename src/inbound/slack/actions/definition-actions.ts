import type { Deps } from "../../../deps.ts";
import { decideDefinition } from "../../../services/decide-definition.ts";
import { definitionForm, definitionHistory } from "../../../services/show-definition.ts";
import type { ButtonArgs } from "../listener-args.ts";
import { versionValue } from "../parse/values.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/** "Propose a change": the rules as text, one per line, to edit. */
export function proposeDefinitionButton(deps: Deps) {
  return async ({ ack, body, gateway, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const workspace = await interactionWorkspace(deps, body);
      const form = await definitionForm(deps, { workspaceId: workspace.id });
      await gateway.openView(body.trigger_id, form);
    } catch (error) {
      await reportError(deps, error, "open the definition modal", respond);
    }
  };
}

export function definitionHistoryButton(deps: Deps) {
  return async ({ ack, body, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const workspace = await interactionWorkspace(deps, body);
      const message = await definitionHistory(deps, { workspaceId: workspace.id });
      await respond({ response_type: "ephemeral", replace_original: false, ...message });
    } catch (error) {
      await reportError(deps, error, "definition history", respond);
    }
  };
}

/** Accept / Decline on a proposal: only the other team may; the message then shows the outcome. */
export function decideDefinitionButton(deps: Deps, accept: boolean) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    let acknowledged = false;
    try {
      const version = versionValue.parse(action.value);
      const workspace = await interactionWorkspace(deps, body);
      const { message } = await decideDefinition(deps, {
        workspace,
        version,
        userId: body.user.id,
        accept,
      });
      await ack();
      acknowledged = true;
      await respond({ replace_original: true, ...message });
    } catch (error) {
      if (!acknowledged) await ack();
      await reportError(deps, error, "decide on a definition", respond);
    }
  };
}
