// Every id Slack sends back to us, in one place: commands, actions, views, blocks, shortcuts.

export const COMMAND = "/leadfit";

export const ACTIONS = {
  verdictFit: "verdict_fit",
  verdictNotYet: "verdict_not_yet",
  verdictNotFit: "verdict_not_fit",
  verdictChange: "verdict_change",
  leadPicker: "lead_picker",
  definitionPropose: "definition_propose",
  definitionHistory: "definition_history",
  definitionAccept: "definition_accept",
  definitionDecline: "definition_decline",
  homeMoreLeads: "home_more_leads",
  homeOpenSettings: "home_open_settings",
  homeCreateApiKey: "home_create_api_key",
  homeRevokeApiKey: "home_revoke_api_key",
  homeConfigureWebhook: "home_configure_webhook",
  digestAddContext: "digest_add_context",
  digestReviewPending: "digest_review_pending",
  digestCampaignReport: "digest_campaign_report",
  reportPostToChannel: "report_post_to_channel",
  hindsightPostToChannel: "hindsight_post_to_channel",
  scheduleAdd: "schedule_add",
  scheduleEdit: "schedule_edit",
  schedulePreview: "schedule_preview",
  scheduleSendNow: "schedule_send_now",
  scheduleSkip: "schedule_skip",
  scheduleDelete: "schedule_delete",
  digestRunRetry: "digest_run_retry",
  crmWritesRetry: "crm_writes_retry",
  campaignAliasAdd: "campaign_alias_add",
  campaignAliasRemove: "campaign_alias_remove",
} as const;

export const VIEWS = {
  verdict: "feedback_modal",
  definition: "definition_modal",
  settings: "settings_modal",
  contextNote: "context_note_modal",
  apiKey: "api_key_modal",
  webhook: "webhook_modal",
  schedule: "schedule_modal",
  campaignAlias: "campaign_alias_modal",
} as const;

export const SHORTCUTS = {
  addContextNote: "add_context_note",
} as const;

/** Input block ids; the action id inside each input is the same string. */
export const INPUTS = {
  lead: "lead",
  verdict: "verdict",
  reasons: "reasons",
  note: "note",
  revisitOn: "revisit_on",
  rules: "rules",
  week: "week",
  campaign: "campaign",
  metric: "metric",
  text: "text",
  timezone: "timezone",
  currency: "currency",
  salesChannel: "sales_channel",
  marketingChannel: "marketing_channel",
  salesTeam: "sales_team",
  marketingTeam: "marketing_team",
  northStar: "north_star",
  northStarTarget: "north_star_target",
  kpis: "kpis",
  kpiTargets: "kpi_targets",
  reviewSlaHours: "review_sla_hours",
  needsContextThreshold: "needs_context_threshold",
  conversionWindowDays: "conversion_window_days",
  hindsightPerRep: "hindsight_per_rep",
  admins: "admins",
  apiKeyLabel: "api_key_label",
  webhookUrl: "webhook_url",
  digestChannel: "digest_channel",
  weekday: "weekday",
  time: "time",
  cron: "cron",
  aliasName: "alias_name",
  aliasCampaignKey: "alias_campaign_key",
  enabled: "enabled",
} as const;

/** The events the app listens to (the manifest subscribes to exactly these). */
export const EVENTS = ["app_home_opened", "app_uninstalled", "tokens_revoked"] as const;
