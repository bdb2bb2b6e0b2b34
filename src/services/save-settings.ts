import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import { checkKpiSet, type MetricDefinition } from "../domain/metrics.ts";
import { isValidTimeZone } from "../domain/week.ts";
import {
  MAX_ADMINS,
  type TrackedMetric,
  type TrackedMetrics,
  type Workspace,
  type WorkspaceSettings,
} from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { type SlackGateway, slackErrorCode } from "../outbound/slack/gateway.ts";
import { noticeModal } from "../presentation/slack/notice.ts";
import { requireAdmin } from "./require-admin.ts";

/** The settings modal as submitted, before checks: the North Star and KPIs by key. */
export type SettingsInput = Omit<WorkspaceSettings, keyof TrackedMetrics> & {
  northStarKey: string | null;
  northStarTarget: number | null;
  kpiKeys: string[];
  /** One "key = number" per line. */
  kpiTargets: string;
};

export type SettingsField =
  | "timezone"
  | "currency"
  | "admins"
  | "northStar"
  | "kpis"
  | "kpiTargets";

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

function parseTargets(text: string, kpiKeys: readonly string[]): Map<string, number> | string {
  const targets = new Map<string, number>();
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const match = /^([a-z0-9_]+)\s*=\s*(-?\d+(?:\.\d+)?)$/.exec(line);
    if (!match) return `Line ${index + 1}: write "metric_key = number", e.g. "sqls = 10".`;
    const [, key = "", value = ""] = match;
    if (!kpiKeys.includes(key))
      return `Line ${index + 1}: ${key} is not one of the KPIs picked above.`;
    targets.set(key, Number(value));
  }
  return targets;
}

/** Checks the whole form; returns the settings to save, or every problem by field. */
export function checkSettings(
  input: SettingsInput,
  catalogue: readonly MetricDefinition[],
):
  | { ok: true; settings: WorkspaceSettings }
  | { ok: false; problems: Partial<Record<SettingsField, string>> } {
  const problems: Partial<Record<SettingsField, string>> = {};
  const timezone = input.timezone.trim();
  if (!isValidTimeZone(timezone))
    problems.timezone = `"${timezone}" is not a timezone. Use an IANA name such as Europe/Berlin.`;
  const currency = input.currency.trim().toUpperCase();
  if (!CURRENCIES.has(currency))
    problems.currency = `"${input.currency}" is not a currency code. Use three letters, e.g. USD or EUR.`;
  const admins = [...new Set(input.admins)];
  if (admins.length > MAX_ADMINS)
    problems.admins = `At most ${MAX_ADMINS} extra admins (${admins.length} picked). Slack's workspace owners and admins need no entry here.`;
  const byKey = new Map(catalogue.map((m) => [m.key, m]));
  const kpis = input.kpiKeys
    .map((key) => byKey.get(key))
    .filter((m): m is MetricDefinition => m !== undefined);
  if (kpis.length !== input.kpiKeys.length)
    problems.kpis = "A picked KPI is no longer in the catalogue; pick again.";
  const kpiCheck = checkKpiSet(kpis);
  if (!kpiCheck.ok) problems.kpis = kpiCheck.message;
  if (input.northStarKey && !byKey.has(input.northStarKey))
    problems.northStar = "Pick a North Star from the list.";
  const targets = parseTargets(input.kpiTargets, input.kpiKeys);
  if (typeof targets === "string") problems.kpiTargets = targets;
  if (Object.keys(problems).length > 0 || typeof targets === "string")
    return { ok: false, problems };
  const northStar: TrackedMetric | null = input.northStarKey
    ? { metricKey: input.northStarKey, weeklyTarget: input.northStarTarget }
    : null;
  return {
    ok: true,
    settings: {
      timezone,
      currency,
      salesChannelId: input.salesChannelId,
      marketingChannelId: input.marketingChannelId,
      salesTeam: input.salesTeam,
      marketingTeam: input.marketingTeam,
      admins,
      reviewSlaHours: input.reviewSlaHours,
      needsContextThresholdPct: input.needsContextThresholdPct,
      conversionWindowDays: input.conversionWindowDays,
      hindsightPerRep: input.hindsightPerRep,
      northStar,
      kpis: input.kpiKeys.map((metricKey) => ({
        metricKey,
        weeklyTarget: targets.get(metricKey) ?? null,
      })),
    },
  };
}

export type SaveSettingsResult =
  | { ok: true; notice: ModalView | null }
  | { ok: false; problems: Partial<Record<SettingsField, string>> };

/**
 * Saves an admin's settings (checked on the server) and joins the channels they picked; the
 * notice says what the admin still has to do about a channel, when anything.
 */
export async function saveSettings(
  deps: { repos: Repositories; admins: AdminDirectory; gateway: SlackGateway },
  input: { workspace: Workspace; userId: string; form: SettingsInput },
): Promise<SaveSettingsResult> {
  await requireAdmin(deps, input);
  const checked = checkSettings(input.form, await deps.repos.metrics.catalogue(input.workspace.id));
  if (!checked.ok) return checked;
  await deps.repos.workspaces.saveSettings(input.workspace.id, checked.settings, input.userId);
  const notices: string[] = [];
  for (const channel of new Set([
    checked.settings.salesChannelId,
    checked.settings.marketingChannelId,
  ])) {
    const notice = channel ? await joinNotice(deps, { channel }) : null;
    if (notice) notices.push(notice);
  }
  return {
    ok: true,
    notice: notices.length > 0 ? noticeModal("Settings saved", notices.join("\n\n")) : null,
  };
}

/**
 * Joins a channel an admin picked for the app to post in; null when the app is in it, else what
 * the admin should do (a private channel, or a Slack error such as a missing scope).
 */
export async function joinNotice(
  deps: { gateway: SlackGateway },
  { channel }: { channel: string },
): Promise<string | null> {
  try {
    const joined = await deps.gateway.joinChannel(channel);
    return joined.joined ? null : joined.reason;
  } catch (error) {
    const code = slackErrorCode(error);
    if (!code) throw error;
    return `Leadfit could not join <#${channel}> (${code}): invite it with \`/invite @Leadfit\`.`;
  }
}
