import type { Deps } from "../../../deps.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { authorizeCrmFromHome } from "../../../services/authorize-crm-from-home.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { parseCrmAuthorizeForm } from "../parse/view-state.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/**
 * Authorize with HubSpot / Salesforce submitted: the link to the CRM's authorize page replaces the
 * form, or what is wrong shows beside the address.
 */
export function crmAuthorizeSubmission(deps: Deps) {
  return async ({ ack, body, view }: ViewSubmitArgs): Promise<void> => {
    const form = parseCrmAuthorizeForm(view.private_metadata, view.state.values);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const workspace = await interactionWorkspace(deps, body);
    const outcome = await authorizeCrmFromHome(deps, {
      workspace,
      userId: body.user.id,
      ...form.value,
    });
    await ack(
      outcome.made
        ? { response_action: "update", view: outcome.view }
        : { response_action: "errors", errors: { [INPUTS.crmPublicUrl]: outcome.message } },
    );
  };
}
