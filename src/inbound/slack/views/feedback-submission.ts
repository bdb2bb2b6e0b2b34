import type { Deps } from "../../../deps.ts";
import { isAppError } from "../../../domain/app-error.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { publishAppHome } from "../../../services/publish-app-home.ts";
import { type FeedbackField, recordFeedback } from "../../../services/record-feedback.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { viewRequestKey } from "../parse/request-keys.ts";
import { feedbackMetadata, parseMetadata } from "../parse/values.ts";
import { parseFeedbackForm } from "../parse/view-state.ts";
import { interactionTeamId, logRepeat, reportError, userMessageOf } from "../support.ts";

/**
 * The feedback modal: problems come back inline; a valid verdict is stored, with its card's update
 * queued, before the ack. The same submission sent again closes the modal and stores nothing.
 */
export function feedbackSubmission(deps: Deps) {
  return async ({ ack, body, view, gateway }: ViewSubmitArgs): Promise<void> => {
    const form = parseFeedbackForm(view.state.values);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const metadata = parseMetadata(feedbackMetadata, view.private_metadata);
    const leadId = metadata?.leadId ?? form.value.leadId;
    if (!leadId)
      return ack({ response_action: "errors", errors: { [INPUTS.lead]: "Pick a lead." } });
    const workspaceId = await interactionTeamId(deps, body);
    const requestKey = viewRequestKey(view);
    let repeat: boolean;
    try {
      const { verdict, reasons, note } = form.value;
      ({ repeat } = await recordFeedback(deps, {
        workspaceId,
        leadId,
        verdict,
        reasons,
        note,
        userId: body.user.id,
        requestKey,
      }));
    } catch (error) {
      if (isAppError(error) && error.code === "invalid_feedback") {
        const errors: Record<string, string> = {};
        for (const issue of error.issues)
          errors[INPUTS[issue.field as FeedbackField]] = issue.message;
        return ack({ response_action: "errors", errors });
      }
      await reportError(deps, error, "feedback modal");
      return ack({ response_action: "errors", errors: { [INPUTS.verdict]: userMessageOf(error) } });
    }
    await ack();
    if (repeat) return logRepeat(deps, requestKey, "feedback modal");
    await publishAppHome({ ...deps, gateway }, { workspaceId, viewerId: body.user.id }).catch(
      (error: unknown) => reportError(deps, error, "App Home after a verdict"),
    );
  };
}
