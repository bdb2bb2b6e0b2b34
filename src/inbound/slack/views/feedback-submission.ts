import type { Deps } from "../../../deps.ts";
import { isAppError } from "../../../domain/app-error.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { userMessageOf } from "../../../services/error-notice.ts";
import { recordVerdict, type VerdictField } from "../../../services/record-verdict.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { viewRequestKey } from "../parse/request-keys.ts";
import { feedbackModalMetadata, parseMetadata } from "../parse/values.ts";
import { inlineErrors, parseVerdictForm } from "../parse/view-state.ts";
import { refreshHome } from "../refresh-home.ts";
import { logRepeat, reportError } from "../report-error.ts";
import { interactionTeamId } from "../workspace-of-request.ts";

/**
 * The feedback modal: problems come back inline; a valid verdict is stored, with its card's update
 * queued, before the ack. The same submission sent again closes the modal and stores nothing.
 */
export function feedbackSubmission(deps: Deps) {
  return async ({ ack, body, view, gateway }: ViewSubmitArgs): Promise<void> => {
    const form = parseVerdictForm(view.state.values);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const metadata = parseMetadata(feedbackModalMetadata, view.private_metadata);
    const leadId = metadata?.leadId ?? form.value.leadId;
    if (!leadId)
      return ack({ response_action: "errors", errors: { [INPUTS.lead]: "Pick a lead." } });
    const workspaceId = await interactionTeamId(deps, body);
    const requestKey = viewRequestKey(view);
    let repeat: boolean;
    try {
      const { verdict, reasons, note, revisitOn } = form.value;
      ({ repeat } = await recordVerdict(deps, {
        workspaceId,
        leadId,
        verdict,
        reasons,
        note,
        revisitOn,
        userId: body.user.id,
        requestKey,
      }));
    } catch (error) {
      if (isAppError(error) && error.code === "invalid_verdict") {
        const problems: Partial<Record<VerdictField, string>> = Object.fromEntries(
          error.issues.map((issue) => [issue.field, issue.message]),
        );
        return ack({ response_action: "errors", errors: inlineErrors(problems, INPUTS) });
      }
      await reportError(deps, error, "feedback modal");
      return ack({
        response_action: "errors",
        errors: { [INPUTS.verdict]: userMessageOf({ error }) },
      });
    }
    await ack();
    if (repeat) return logRepeat(deps, requestKey, "feedback modal");
    await refreshHome(
      deps,
      gateway,
      { workspaceId, viewerId: body.user.id },
      "App Home after a verdict",
    );
  };
}
