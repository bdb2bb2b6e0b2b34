import type { App, ViewSubmitAction } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { VIEWS } from "../../../presentation/slack/ids.ts";
import { dispatchById } from "../dispatch-by-id.ts";
import { type ViewSubmitArgs, withGateway } from "../listener-args.ts";
import {
  apiKeySubmission,
  campaignAliasSubmission,
  webhookSubmission,
} from "./admin-submissions.ts";
import { contextNoteSubmission } from "./context-note-submission.ts";
import { crmAuthorizeSubmission } from "./crm-authorize-submission.ts";
import { crmConnectSubmission } from "./crm-submission.ts";
import { definitionSubmission } from "./definition-submission.ts";
import { feedbackSubmission } from "./feedback-submission.ts";
import { scheduleSubmission } from "./schedule-submission.ts";
import { settingsSubmission } from "./settings-submission.ts";

type SubmissionHandler = (args: ViewSubmitArgs) => Promise<void>;

/** Every modal's submission, by callback id. */
export function registerViews(app: App, deps: Deps): void {
  const handlers = new Map<string, SubmissionHandler>([
    [VIEWS.feedback, feedbackSubmission(deps)],
    [VIEWS.definition, definitionSubmission(deps)],
    [VIEWS.settings, settingsSubmission(deps)],
    [VIEWS.contextNote, contextNoteSubmission(deps)],
    [VIEWS.apiKey, apiKeySubmission(deps)],
    [VIEWS.webhook, webhookSubmission(deps)],
    [VIEWS.schedule, scheduleSubmission(deps)],
    [VIEWS.campaignAlias, campaignAliasSubmission(deps)],
    [VIEWS.crmConnect, crmConnectSubmission(deps)],
    [VIEWS.crmAuthorize, crmAuthorizeSubmission(deps)],
  ]);
  app.view<ViewSubmitAction>(
    { type: "view_submission" },
    withGateway(dispatchById(handlers, (args) => args.view.callback_id)),
  );
}
