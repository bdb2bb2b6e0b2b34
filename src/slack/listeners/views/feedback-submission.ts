import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { feedbackProblems, recordFeedback } from "../../../services/record-feedback.ts";
import { SlackGateway } from "../../gateway.ts";
import { INPUTS } from "../../ids.ts";
import { feedbackMetadata, parseMetadata } from "../../parse/values.ts";
import { parseFeedbackForm } from "../../parse/view-state.ts";
import { refreshHome } from "../refresh-home.ts";
import { interactionWorkspace, reportError, userMessageOf } from "../support.ts";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The feedback modal: problems come back inline; a valid verdict is stored, with its card's update
 * queued, before the ack.
 */
export function feedbackSubmission(deps: Deps) {
  return async ({ ack, body, view, client }: Args): Promise<void> => {
    const form = parseFeedbackForm(view.state.values);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const metadata = parseMetadata(feedbackMetadata, view.private_metadata);
    const leadId = metadata?.leadId ?? form.value.leadId;
    if (!leadId)
      return ack({ response_action: "errors", errors: { [INPUTS.lead]: "Pick a lead." } });
    const workspace = await interactionWorkspace(deps, body);
    const reasonKeys = (await deps.repos.reasons.list(workspace.id)).map((r) => r.key);
    const problems = feedbackProblems(form.value, reasonKeys);
    if (Object.keys(problems).length > 0) {
      const errors: Record<string, string> = {};
      for (const [fieldName, message] of Object.entries(problems))
        errors[INPUTS[fieldName as keyof typeof problems]] = message;
      return ack({ response_action: "errors", errors });
    }
    try {
      const { verdict, reasons, note } = form.value;
      await recordFeedback(deps, {
        workspaceId: workspace.id,
        leadId,
        verdict,
        reasons,
        note,
        userId: body.user.id,
      });
    } catch (error) {
      await reportError(deps, error, "feedback modal");
      return ack({ response_action: "errors", errors: { [INPUTS.verdict]: userMessageOf(error) } });
    }
    await ack();
    await refreshHome(deps, new SlackGateway(client), {
      workspaceId: workspace.id,
      userId: body.user.id,
    }).catch((error: unknown) => reportError(deps, error, "App Home after a verdict"));
  };
}
