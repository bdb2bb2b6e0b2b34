import { type MetricValueInput, metricValueInputSchema } from "../../domain/ingest-schemas.ts";
import type { ImportFormat } from "../format.ts";

// Leadfit's own metrics file: one metric value per row, for a week or a month, optionally per
// campaign. Whether the metric keys exist is the workspace's business, checked by the import.

const METRIC_COLUMNS = ["metric", "campaign", "period", "value", "source"] as const;

/** A plain decimal number; anything else is passed on as text for the schema to refuse. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const leadfitMetrics: ImportFormat<MetricValueInput> = {
  columns: METRIC_COLUMNS,
  required: ["metric", "period", "value"],
  schema: metricValueInputSchema,
  extraColumns: (extra, line) =>
    extra.map((c) => ({
      index: line,
      field: c.name,
      message: `Unknown column: metric files have the columns ${METRIC_COLUMNS.join(", ")}`,
    })),
  toInput: (cells) => {
    const value = cells.get("value") ?? "";
    return {
      metric: cells.get("metric") ?? "",
      campaign: cells.get("campaign") || null,
      period: cells.get("period") ?? "",
      value: DECIMAL.test(value) ? Number(value) : value,
      source: cells.get("source") || "csv",
    };
  },
  column: (path) => {
    const first = path[0];
    return typeof first === "string" && (METRIC_COLUMNS as readonly string[]).includes(first)
      ? first
      : "(row)";
  },
  identity: (v) => ({
    value: [v.metric, v.campaign ?? "", v.period.granularity, v.period.periodStart, v.source].join(
      "\u0000",
    ),
    field: "metric",
    repeated: (line) =>
      `The same metric, campaign, period and source as line ${line}; keep one value`,
  }),
};
