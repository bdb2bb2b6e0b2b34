import { z } from "zod";
import {
  BACKFILL_DAYS,
  CRM_KINDS,
  type CrmCredentials,
  type CrmKind,
} from "../../../domain/crm-connection.ts";
import type { ScheduleInput } from "../../../domain/digest-schedule.ts";
import { toStorableText } from "../../../domain/storable.ts";
import { VERDICTS } from "../../../domain/verdict.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";

// Slack's view_submission state: values[blockId][actionId]. Each input's block id and action id
// are the same string (INPUTS), so a field is read as values[id][id].

const selected = z.object({ value: z.string() });
const staticSelect = z.object({ selected_option: selected.nullish() });
const multiSelect = z.object({ selected_options: z.array(selected).nullish() });
// What a person typed is kept, made storable, rather than refused for a character they cannot see.
const textInput = z.object({ value: z.string().transform(toStorableText).nullish() });
const conversationSelect = z.object({ selected_conversation: z.string().nullish() });
const usersSelect = z.object({ selected_users: z.array(z.string()).nullish() });
const timePicker = z.object({ selected_time: z.string().nullish() });
const datePicker = z.object({ selected_date: z.iso.date().nullish() });
const checkboxes = z.object({ selected_options: z.array(selected).nullish() });

type Values = Record<string, Record<string, unknown> | undefined>;

function field<T extends z.ZodType>(values: Values, id: string, schema: T): z.infer<T> | undefined {
  const parsed = schema.safeParse(values[id]?.[id]);
  return parsed.success ? parsed.data : undefined;
}

const text = (values: Values, id: string) => field(values, id, textInput)?.value?.trim() || null;
const option = (values: Values, id: string) =>
  field(values, id, staticSelect)?.selected_option?.value ?? null;
const options = (values: Values, id: string) =>
  (field(values, id, multiSelect)?.selected_options ?? []).map((o) => o.value);
const users = (values: Values, id: string) => field(values, id, usersSelect)?.selected_users ?? [];
const conversation = (values: Values, id: string) =>
  field(values, id, conversationSelect)?.selected_conversation ?? null;

/** Inline errors keyed by block id, as `response_action: "errors"` wants them. */
export type InlineErrors = Record<string, string>;

/** A service's problems by field, as inline errors under each field's block. */
export function inlineErrors<F extends string>(
  problems: Partial<Record<F, string>>,
  blockOf: Record<F, string>,
): InlineErrors {
  const errors: InlineErrors = {};
  for (const field of Object.keys(problems) as F[]) {
    const message = problems[field];
    if (message) errors[blockOf[field]] = message;
  }
  return errors;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: InlineErrors };

export interface VerdictForm {
  leadId: string | null;
  verdict: (typeof VERDICTS)[number];
  reasons: string[];
  note: string | null;
  /** The picked revisit date, "YYYY-MM-DD"; it counts for Not yet only. */
  revisitOn: string | null;
}

export function parseVerdictForm(values: Values): Parsed<VerdictForm> {
  const verdict = z.enum(VERDICTS).safeParse(option(values, INPUTS.verdict));
  if (!verdict.success) return { ok: false, errors: { [INPUTS.verdict]: "Pick a verdict." } };
  const leadId = option(values, INPUTS.lead);
  if (values[INPUTS.lead] && !z.uuid().safeParse(leadId).success) {
    return { ok: false, errors: { [INPUTS.lead]: "Pick a lead from the list." } };
  }
  const revisit = datePicker.safeParse(values[INPUTS.revisitOn]?.[INPUTS.revisitOn] ?? {});
  if (!revisit.success)
    return { ok: false, errors: { [INPUTS.revisitOn]: "Pick a date from the calendar." } };
  return {
    ok: true,
    value: {
      leadId,
      verdict: verdict.data,
      reasons: options(values, INPUTS.reasons),
      note: text(values, INPUTS.note),
      revisitOn: revisit.data.selected_date ?? null,
    },
  };
}

export function parseRulesForm(values: Values): string {
  return field(values, INPUTS.rules, textInput)?.value ?? "";
}

export interface ContextNoteForm {
  week: string | null;
  campaignKey: string | null;
  metricKey: string | null;
  text: string;
}

export function parseContextNoteForm(values: Values): ContextNoteForm {
  return {
    week: option(values, INPUTS.week),
    campaignKey: option(values, INPUTS.campaign),
    metricKey: option(values, INPUTS.metric),
    text: field(values, INPUTS.text, textInput)?.value ?? "",
  };
}

const numberInput = (min: number, max: number, label: string) =>
  z.object({
    value: z.coerce
      .number({ error: `${label} must be a number.` })
      .int(`${label} must be a whole number.`)
      .min(min, `${label} must be at least ${min}.`)
      .max(max, `${label} must be at most ${max}.`),
  });

export function parseSettingsForm(values: Values) {
  const errors: InlineErrors = {};
  const number = (id: string, min: number, max: number, label: string): number => {
    const parsed = numberInput(min, max, label).safeParse(values[id]?.[id]);
    if (!parsed.success) errors[id] = parsed.error.issues[0]?.message ?? `${label} is not valid.`;
    return parsed.success ? parsed.data.value : 0;
  };
  const target = text(values, INPUTS.northStarTarget);
  const northStarTarget = target === null ? null : Number(target);
  if (northStarTarget !== null && !Number.isFinite(northStarTarget))
    errors[INPUTS.northStarTarget] = "The target must be a number.";
  const form = {
    timezone: text(values, INPUTS.timezone) ?? "",
    currency: text(values, INPUTS.currency) ?? "",
    salesChannelId: conversation(values, INPUTS.salesChannel),
    marketingChannelId: conversation(values, INPUTS.marketingChannel),
    salesTeam: users(values, INPUTS.salesTeam),
    marketingTeam: users(values, INPUTS.marketingTeam),
    admins: users(values, INPUTS.admins),
    northStarKey: option(values, INPUTS.northStar),
    northStarTarget,
    kpiKeys: options(values, INPUTS.kpis),
    kpiTargets: field(values, INPUTS.kpiTargets, textInput)?.value ?? "",
    reviewSlaHours: number(INPUTS.reviewSlaHours, 1, 720, "The review SLA"),
    needsContextThresholdPct: number(INPUTS.needsContextThreshold, 1, 500, "The threshold"),
    conversionWindowDays: number(INPUTS.conversionWindowDays, 1, 730, "The conversion window"),
    hindsightPerRep:
      (field(values, INPUTS.hindsightPerRep, checkboxes)?.selected_options ?? []).length > 0,
  };
  return Object.keys(errors).length > 0
    ? ({ ok: false, errors } as const)
    : ({ ok: true, value: form } as const);
}

export function parseApiKeyForm(values: Values): string | null {
  return text(values, INPUTS.apiKeyLabel);
}

export function parseWebhookForm(values: Values): string | null {
  return text(values, INPUTS.webhookUrl);
}

/** The campaign alias modal, as typed: the service says what is wrong with it. */
export function parseCampaignAliasForm(values: Values): { name: string; campaignKey: string } {
  return {
    name: text(values, INPUTS.aliasName) ?? "",
    campaignKey: text(values, INPUTS.aliasCampaignKey) ?? "",
  };
}

/** The schedule modal: a channel, and a weekday and time or a cron expression. */
export function parseScheduleForm(values: Values): Parsed<ScheduleInput> {
  const errors: InlineErrors = {};
  const channelId = conversation(values, INPUTS.digestChannel);
  if (!channelId) errors[INPUTS.digestChannel] = "Pick the channel the digest goes to.";
  const weekday = z.coerce
    .number()
    .int()
    .min(1)
    .max(7)
    .safeParse(option(values, INPUTS.weekday) ?? "");
  if (!weekday.success) errors[INPUTS.weekday] = "Pick a weekday.";
  const time = z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .safeParse(field(values, INPUTS.time, timePicker)?.selected_time);
  if (!time.success) errors[INPUTS.time] = "Pick a time.";
  if (!channelId || !weekday.success || !time.success) return { ok: false, errors };
  const enabled = (field(values, INPUTS.enabled, checkboxes)?.selected_options ?? []).length > 0;
  return {
    ok: true,
    value: {
      channelId,
      weekday: weekday.data,
      time: time.data,
      cron: text(values, INPUTS.cron)?.replace(/\s+/g, " ") ?? null,
      timezone: text(values, INPUTS.timezone),
      enabled,
    },
  };
}

/** The Connect HubSpot or Connect Salesforce modal: the CRM's kind (private_metadata) and what was typed. */
export function parseCrmConnectForm(
  metadata: string,
  values: Values,
): Parsed<{ credentials: CrmCredentials; backfillDays: number }> {
  const kind = z.enum(CRM_KINDS).safeParse(metadata);
  const errors: InlineErrors = {};
  const token = text(values, INPUTS.crmToken);
  if (!token) errors[INPUTS.crmToken] = "Paste the access token.";
  const days = text(values, INPUTS.crmBackfillDays) ?? String(BACKFILL_DAYS.default);
  const backfillDays = /^\d{1,5}$/.test(days) ? Number(days) : Number.NaN;
  if (!(backfillDays >= BACKFILL_DAYS.min && backfillDays <= BACKFILL_DAYS.max))
    errors[INPUTS.crmBackfillDays] =
      `A whole number of days from ${BACKFILL_DAYS.min} to ${BACKFILL_DAYS.max}.`;
  const instanceUrl = text(values, INPUTS.crmInstanceUrl);
  if (kind.data === "salesforce" && !instanceUrl)
    errors[INPUTS.crmInstanceUrl] = "Give the org's instance URL.";
  if (!kind.success || !token || Object.keys(errors).length > 0) {
    return {
      ok: false,
      errors: kind.success ? errors : { [INPUTS.crmToken]: "Open the form again from App Home." },
    };
  }
  const refreshToken = text(values, INPUTS.crmRefreshToken);
  const credentials: CrmCredentials =
    kind.data === "hubspot"
      ? { kind: "hubspot", accessToken: token }
      : {
          kind: "salesforce",
          instanceUrl: instanceUrl ?? "",
          accessToken: token,
          ...(refreshToken ? { refreshToken } : {}),
        };
  return { ok: true, value: { credentials, backfillDays } };
}

/** The Authorize with HubSpot or Salesforce modal: the CRM's kind (private_metadata) and the address. */
export function parseCrmAuthorizeForm(
  metadata: string,
  values: Values,
): Parsed<{ kind: CrmKind; publicUrl: string }> {
  const kind = z.enum(CRM_KINDS).safeParse(metadata);
  const publicUrl = text(values, INPUTS.crmPublicUrl);
  if (!kind.success)
    return { ok: false, errors: { [INPUTS.crmPublicUrl]: "Open the form again from App Home." } };
  if (!publicUrl)
    return { ok: false, errors: { [INPUTS.crmPublicUrl]: "Give Leadfit's public address." } };
  return { ok: true, value: { kind: kind.data, publicUrl } };
}
