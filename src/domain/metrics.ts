import { z } from "zod";
import { storableString } from "./storable.ts";

export const METRIC_UNITS = ["count", "currency", "percent", "score"] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

export const METRIC_STAGES = [
  "awareness",
  "engagement",
  "lead",
  "pipeline",
  "revenue",
  "advocacy",
  "cost",
] as const;
export type MetricStage = (typeof METRIC_STAGES)[number];

/** What the metric serves: finding, keeping or growing customers. */
export const CUSTOMER_GOALS = ["find", "keep", "grow"] as const;
export type CustomerGoal = (typeof CUSTOMER_GOALS)[number];

export const METRIC_DIRECTIONS = ["higher", "lower"] as const;
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];

/** How a week's figure is made from daily values. */
export const METRIC_AGGREGATIONS = ["sum", "average", "last"] as const;
export type MetricAggregation = (typeof METRIC_AGGREGATIONS)[number];

export interface MetricDefinition {
  key: string;
  label: string;
  unit: MetricUnit;
  stage: MetricStage;
  goal: CustomerGoal;
  direction: MetricDirection;
  aggregation: MetricAggregation;
  /** Slack user id of the person who answers for the metric. */
  owner: string | null;
}

export const MAX_KPIS = 5;

function defaultMetric(
  key: string,
  label: string,
  unit: MetricUnit,
  stage: MetricStage,
  goal: CustomerGoal,
  direction: MetricDirection = "higher",
  aggregation: MetricAggregation = "sum",
): MetricDefinition {
  return { key, label, unit, stage, goal, direction, aggregation, owner: null };
}

/** The catalogue every new workspace starts with. */
export const DEFAULT_METRICS: readonly MetricDefinition[] = [
  defaultMetric("impressions", "Impressions", "count", "awareness", "find"),
  defaultMetric("clicks", "Clicks", "count", "engagement", "find"),
  defaultMetric("sessions", "Sessions", "count", "engagement", "find"),
  defaultMetric("direct_traffic", "Direct traffic", "count", "awareness", "find"),
  defaultMetric("engagements", "Engagements", "count", "engagement", "find"),
  defaultMetric("video_views", "Video views", "count", "awareness", "find"),
  defaultMetric("leads", "Leads", "count", "lead", "find"),
  defaultMetric("mqls", "MQLs", "count", "lead", "find"),
  defaultMetric("sqls", "SQLs", "count", "lead", "find"),
  defaultMetric("opportunities", "Opportunities", "count", "pipeline", "find"),
  defaultMetric("pipeline", "Pipeline", "currency", "pipeline", "find"),
  defaultMetric("revenue", "Revenue", "currency", "revenue", "grow"),
  defaultMetric("spend", "Spend", "currency", "cost", "find", "lower"),
  defaultMetric("nps", "NPS", "score", "advocacy", "keep", "higher", "average"),
];

export const metricKeySchema = z
  .string()
  .min(1, "A metric key cannot be empty")
  .max(64, "A metric key has at most 64 characters")
  .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, "A metric key is lowercase snake_case, e.g. video_views");

export const metricDefinitionSchema = z.object({
  key: metricKeySchema,
  label: storableString().trim().min(1, "A label is required").max(100),
  unit: z.enum(METRIC_UNITS),
  stage: z.enum(METRIC_STAGES),
  goal: z.enum(CUSTOMER_GOALS),
  direction: z.enum(METRIC_DIRECTIONS),
  aggregation: z.enum(METRIC_AGGREGATIONS),
  owner: storableString().trim().min(1).nullable().default(null),
}) satisfies z.ZodType<MetricDefinition>;

/** Outcomes are what finding, keeping or growing customers shows up as; cost is not one. */
export function isOutcomeStage(stage: MetricStage): boolean {
  return stage === "lead" || stage === "pipeline" || stage === "revenue" || stage === "advocacy";
}

/** Awareness and engagement figures mean something only next to the outcome they lead to. */
export function isVanityStage(stage: MetricStage): boolean {
  return stage === "awareness" || stage === "engagement";
}

/** Settings check for the KPI set: few, distinct, and never vanity figures alone. */
export function checkKpiSet(
  defs: readonly MetricDefinition[],
): { ok: true } | { ok: false; message: string } {
  if (defs.length > MAX_KPIS) {
    return {
      ok: false,
      message: `Pick at most ${MAX_KPIS} KPIs (you picked ${defs.length}): fewer numbers get more attention.`,
    };
  }
  const seen = new Set<string>();
  for (const def of defs) {
    if (seen.has(def.key)) {
      return { ok: false, message: `${def.label} is picked twice; each KPI can appear once.` };
    }
    seen.add(def.key);
  }
  if (defs.some((d) => isVanityStage(d.stage)) && !defs.some((d) => isOutcomeStage(d.stage))) {
    return {
      ok: false,
      message:
        "Awareness and engagement KPIs need an outcome beside them: add a lead, pipeline, revenue or advocacy metric (e.g. Leads or NPS).",
    };
  }
  return { ok: true };
}

const PREFERRED_OUTCOMES = ["leads", "mqls", "sqls"];

/** The outcome an awareness or engagement metric is shown with; undefined for other metrics. */
export function pairWithOutcome(
  metric: MetricDefinition,
  catalogue: readonly MetricDefinition[],
): MetricDefinition | undefined {
  if (!isVanityStage(metric.stage)) return undefined;
  for (const key of PREFERRED_OUTCOMES) {
    const found = catalogue.find((d) => d.key === key);
    if (found) return found;
  }
  return catalogue.find((d) => d.stage === "lead");
}

/** "impressions 120k → 45 leads → 12 fit": the first figure reads label-first, the rest value-first. */
export function formatVanityPairing(parts: readonly { label: string; value: string }[]): string {
  return parts
    .map((p, i) => (i === 0 ? `${p.label} ${p.value}` : `${p.value} ${p.label}`))
    .join(" → ");
}
