import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { ACTIONS } from "../../../presentation/slack/ids.ts";
import { dispatchById } from "../dispatch-by-id.ts";
import { type ButtonArgs, withGateway } from "../listener-args.ts";
import {
  addCampaignAliasButton,
  configureWebhookButton,
  createApiKeyButton,
  removeCampaignAliasButton,
  revokeApiKeyButton,
} from "./admin-actions.ts";
import {
  authorizeCrmButton,
  connectCrmButton,
  crmAuthorizePageButton,
  disconnectCrmButton,
  retryCrmWritesButton,
  syncCrmNowButton,
} from "./crm-actions.ts";
import {
  decideDefinitionButton,
  definitionHistoryButton,
  proposeDefinitionButton,
} from "./definition-actions.ts";
import {
  addContextButton,
  campaignReportButton,
  postReportButton,
  reviewPendingButton,
} from "./digest-actions.ts";
import { feedbackModalButton } from "./feedback-modal-button.ts";
import { postHindsightButton } from "./hindsight-actions.ts";
import { moreLeadsButton, openSettingsButton } from "./home-actions.ts";
import { oneClickVerdict } from "./one-click-verdict.ts";
import {
  addScheduleButton,
  deleteScheduleButton,
  editScheduleButton,
  previewScheduleButton,
  retryDigestRunButton,
  sendScheduleNowButton,
  skipScheduleButton,
} from "./schedule-actions.ts";

type ButtonHandler = (args: ButtonArgs) => Promise<void>;

/** Every button the app answers, by action id. */
export function buttonHandlers(deps: Deps): Map<string, ButtonHandler> {
  return new Map<string, ButtonHandler>([
    [ACTIONS.verdictFit, oneClickVerdict(deps, "fit")],
    [ACTIONS.verdictNotYet, oneClickVerdict(deps, "not_yet")],
    [ACTIONS.verdictNotFit, feedbackModalButton(deps, "not_fit")],
    [ACTIONS.verdictChange, feedbackModalButton(deps, undefined)],
    [ACTIONS.definitionPropose, proposeDefinitionButton(deps)],
    [ACTIONS.definitionHistory, definitionHistoryButton(deps)],
    [ACTIONS.definitionAccept, decideDefinitionButton(deps, true)],
    [ACTIONS.definitionDecline, decideDefinitionButton(deps, false)],
    [ACTIONS.homeMoreLeads, moreLeadsButton(deps)],
    [ACTIONS.homeOpenSettings, openSettingsButton(deps)],
    [ACTIONS.homeCreateApiKey, createApiKeyButton(deps)],
    [ACTIONS.homeRevokeApiKey, revokeApiKeyButton(deps)],
    [ACTIONS.homeConfigureWebhook, configureWebhookButton(deps)],
    [ACTIONS.digestAddContext, addContextButton(deps)],
    [ACTIONS.digestCampaignReport, campaignReportButton(deps)],
    [ACTIONS.reportPostToChannel, postReportButton(deps)],
    [ACTIONS.hindsightPostToChannel, postHindsightButton(deps)],
    [ACTIONS.digestReviewPending, reviewPendingButton(deps)],
    [ACTIONS.scheduleAdd, addScheduleButton(deps)],
    [ACTIONS.scheduleEdit, editScheduleButton(deps)],
    [ACTIONS.schedulePreview, previewScheduleButton(deps)],
    [ACTIONS.scheduleSendNow, sendScheduleNowButton(deps)],
    [ACTIONS.scheduleSkip, skipScheduleButton(deps)],
    [ACTIONS.scheduleDelete, deleteScheduleButton(deps)],
    [ACTIONS.digestRunRetry, retryDigestRunButton(deps)],
    [ACTIONS.crmWritesRetry, retryCrmWritesButton(deps)],
    [ACTIONS.crmConnectHubSpot, connectCrmButton(deps, "hubspot")],
    [ACTIONS.crmConnectSalesforce, connectCrmButton(deps, "salesforce")],
    [ACTIONS.crmAuthorizeHubSpot, authorizeCrmButton(deps, "hubspot")],
    [ACTIONS.crmAuthorizeSalesforce, authorizeCrmButton(deps, "salesforce")],
    [ACTIONS.crmAuthorizeOpen, crmAuthorizePageButton],
    [ACTIONS.crmSyncNow, syncCrmNowButton(deps)],
    [ACTIONS.crmDisconnect, disconnectCrmButton(deps)],
    [ACTIONS.campaignAliasAdd, addCampaignAliasButton(deps)],
    [ACTIONS.campaignAliasRemove, removeCampaignAliasButton(deps)],
  ]);
}

export function registerActions(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: "block_actions" },
    withGateway(dispatchById(buttonHandlers(deps), (args) => args.action.action_id)),
  );
}
