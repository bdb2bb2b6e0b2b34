import type { App } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { VIEWS } from "../../ids.ts";
import { apiKeySubmission, webhookSubmission } from "./admin-submissions.ts";
import { contextNoteSubmission } from "./context-note-submission.ts";
import { definitionSubmission } from "./definition-submission.ts";
import { feedbackSubmission } from "./feedback-submission.ts";
import { scheduleSubmission } from "./schedule-submission.ts";
import { settingsSubmission } from "./settings-submission.ts";

export function registerViews(app: App, deps: Deps): void {
  app.view(VIEWS.feedback, feedbackSubmission(deps));
  app.view(VIEWS.definition, definitionSubmission(deps));
  app.view(VIEWS.settings, settingsSubmission(deps));
  app.view(VIEWS.contextNote, contextNoteSubmission(deps));
  app.view(VIEWS.apiKey, apiKeySubmission(deps));
  app.view(VIEWS.webhook, webhookSubmission(deps));
  app.view(VIEWS.schedule, scheduleSubmission(deps));
}
