import { setTimeout as sleep } from "node:timers/promises";
import type { Deps } from "../../../deps.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import {
  type CrmConnectOutcome,
  type CrmFormField,
  connectCrmFromHome,
} from "../../../services/connect-crm-from-home.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { parseCrmConnectForm } from "../parse/view-state.ts";
import { refreshHome } from "../refresh-home.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/**
 * How long the CRM's answer is awaited before Slack is answered: Slack wants the answer within 3
 * seconds of sending, and some of them went by in transit and in reading the workspace.
 */
export const CRM_CHECK_BUDGET_MS = 2_000;

const BLOCK_OF: Record<CrmFormField, string> = {
  token: INPUTS.crmToken,
  instanceUrl: INPUTS.crmInstanceUrl,
  refreshToken: INPUTS.crmRefreshToken,
  backfillDays: INPUTS.crmBackfillDays,
};

/**
 * Connect HubSpot / Connect Salesforce submitted. The credentials are tried against the CRM: an
 * answer within the budget is shown inline (the field it is about) or closes the form with a notice;
 * a slower one is acknowledged with a "checking" notice that the answer then replaces.
 */
export function crmConnectSubmission(deps: Deps) {
  return async ({ ack, body, view, gateway }: ViewSubmitArgs): Promise<void> => {
    const form = parseCrmConnectForm(view.private_metadata, view.state.values);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const workspace = await interactionWorkspace(deps, body);
    const { pending, outcome } = connectCrmFromHome(deps, {
      workspace,
      userId: body.user.id,
      ...form.value,
    });
    const early = await Promise.race([outcome, sleep(CRM_CHECK_BUDGET_MS).then(() => undefined)]);
    let settled: CrmConnectOutcome;
    if (early) {
      if (!early.connected && early.field)
        return ack({
          response_action: "errors",
          errors: { [BLOCK_OF[early.field]]: early.message },
        });
      await ack({ response_action: "update", view: early.view });
      settled = early;
    } else {
      await ack({ response_action: "update", view: pending });
      settled = await outcome;
      // The admin may have closed the notice meanwhile; App Home shows the connection either way.
      await gateway
        .updateView(view.id, settled.view)
        .catch((error) => reportError(deps, error, "show the CRM's answer"));
    }
    if (settled.connected)
      await refreshHome(
        deps,
        gateway,
        { workspaceId: workspace.id, viewerId: body.user.id },
        "republish home",
      );
  };
}
