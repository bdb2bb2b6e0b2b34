import { checkKpiSet, type MetricDefinition } from "./metrics.ts";
import { isValidTimeZone } from "./week.ts";
import {
  MAX_ADMINS,
  type TrackedMetric,
  type TrackedMetrics,
  type WorkspaceSettings,
} from "./workspace.ts";

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
