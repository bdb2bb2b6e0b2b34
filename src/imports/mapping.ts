import { readFile } from "node:fs/promises";
import { z } from "zod";
import { AppError } from "../domain/app-error.ts";
import {
  campaignKeySchema,
  fieldNameSchema,
  fieldRecord,
  sourceSchema,
} from "../domain/ingest-schemas.ts";
import { metricDefinitionSchema, metricKeySchema } from "../domain/metrics.ts";

// An import mapping: how a file's columns become Leadfit's leads, metric values or outcomes. Every built-in
// format is one, and a user's `--mapping` file (JSON) has the same form, checked by this schema.

/** A header as the export writes it; a list joins those columns' cells with a space. */
const headerSchema = z.union([
  z.string().trim().min(1, "A header cannot be empty"),
  z.array(z.string().trim().min(1)).min(2, "Join at least two headers, or name one"),
]);

const columnSpecSchema = z.union([
  z.array(headerSchema).min(1, "Name at least one header"),
  z.strictObject({
    /** The headers this column goes by in exports, the first one present wins. */
    headers: z.array(headerSchema).min(1, "Name at least one header"),
    /** A regular expression whose first group is the value ("Name (email)" → the email). */
    pattern: z.string().refine(isRegExp, "Not a regular expression").optional(),
    /** A qualification field that is a number ("5,200" employees → 5200). */
    type: z.enum(["text", "number"]).default("text"),
  }),
]);
export type ColumnSpec = z.infer<typeof columnSpecSchema>;

const LEAD_COLUMNS = [
  "externalId",
  "email",
  "name",
  "company",
  "title",
  "campaign",
  "owner",
  "createdAt",
] as const;
const METRIC_COLUMNS = ["campaign", "day", "week", "period", "metric", "value", "source"] as const;
const OUTCOME_COLUMNS = ["externalId", "lead", "type", "at", "amount"] as const;
const COLUMNS = { leads: LEAD_COLUMNS, metrics: METRIC_COLUMNS, outcomes: OUTCOME_COLUMNS };

export const importMappingSchema = z
  .strictObject({
    /** The format's name, as `--format` takes it. */
    name: z.string().regex(/^[a-z0-9-]{1,40}$/, "A name of lowercase letters, digits and -"),
    /** Where the export comes from, for the dry run. */
    label: z.string().min(1).max(100),
    kind: z.enum(["leads", "metrics", "outcomes"]),
    /** Leadfit's columns → the headers they go by (leads: externalId, email, …; metrics: campaign, day or week, …; outcomes: externalId, lead, type, at, amount). */
    columns: z.record(z.string(), columnSpecSchema),
    /** Leads: qualification fields → the headers they go by. */
    fields: fieldRecord(columnSpecSchema).default({}),
    /** Metrics, wide → long: a header → the metric its values are, or null (known, not imported). */
    metrics: z.record(z.string(), metricKeySchema.nullable()).default({}),
    /**
     * The other headers: `fields` (leads: each a qualification field under its own name),
     * `unused` (listed by the dry run, not imported) or `refuse` (the file is refused).
     */
    otherColumns: z.enum(["fields", "unused", "refuse"]).default("unused"),
    rows: z
      .strictObject({
        /** Lines starting with this are comments, wherever they are (GA4: "#"). */
        comment: z.string().min(1).optional(),
        /** A row whose first cell matches one of these (regular expressions) is a totals row. */
        totals: z.array(z.string().refine(isRegExp, "Not a regular expression")).default([]),
        /** A row whose first cell matches one of these starts the footer: it and all after it. */
        footer: z.array(z.string().refine(isRegExp, "Not a regular expression")).default([]),
      })
      .default({ totals: [], footer: [] }),
    dates: z
      .strictObject({
        /** 11/12/2026: month first (US) or day first. */
        order: z.enum(["mdy", "dmy"]).default("mdy"),
        /** The zone of times written without one; else --timezone, else the workspace's. */
        timezone: z.string().optional(),
      })
      .default({ order: "mdy" }),
    numbers: z.strictObject({ decimal: z.enum([".", ","]).default(".") }).default({ decimal: "." }),
    /** A column's or field's values → the values Leadfit expects (owner names → Slack users, …). */
    values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
    /** A country field → a region field: the country's continent (NA, SA, EU, AS, AF, OC, AN), renamed by `names`. */
    region: z
      .strictObject({
        from: fieldNameSchema,
        field: fieldNameSchema.default("region"),
        names: z.record(z.string(), z.string()).default({}),
      })
      .optional(),
    /** Campaign names in the file → campaign keys (besides the workspace's campaign aliases). */
    campaigns: z.record(z.string(), campaignKeySchema).default({}),
    /** Whether the campaign column holds campaign keys (Leadfit's own files) or a platform's names. */
    campaignColumn: z.enum(["keys", "names"]).default("names"),
    /** Metrics: the source the values are stored under (e.g. google_ads). */
    source: sourceSchema.optional(),
    /** Metrics this format brings that a workspace's catalogue may lack: defined when first imported. */
    define: z.array(metricDefinitionSchema).default([]),
    /** Metrics: rows that land on the same metric, campaign and period add up (platform rows), or are refused. */
    repeated: z.enum(["sum", "refuse"]).default("sum"),
  })
  .superRefine((mapping, ctx) => {
    const allowed: readonly string[] = COLUMNS[mapping.kind];
    for (const column of Object.keys(mapping.columns))
      if (!allowed.includes(column))
        ctx.addIssue({
          code: "custom",
          path: ["columns", column],
          message: `Not a column of ${mapping.kind}: use ${allowed.join(", ")}`,
        });
    if (mapping.kind === "metrics") {
      const periods = ["day", "week", "period"].filter((c) => c in mapping.columns);
      if (periods.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["columns"],
          message: "Name day, week or period (the date each value is for)",
        });
      const long = "metric" in mapping.columns && "value" in mapping.columns;
      if (!long && Object.values(mapping.metrics).every((m) => m === null))
        ctx.addIssue({
          code: "custom",
          path: ["metrics"],
          message: "Map at least one header to a metric, or name the metric and value columns",
        });
    }
  });
export type ImportMapping = z.infer<typeof importMappingSchema>;
/** A mapping as written (defaults not yet filled in), e.g. a built-in format's. */
export type ImportMappingText = z.input<typeof importMappingSchema>;

function isRegExp(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/** A JSON file's content, or an error naming the file and what is wrong with it. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new AppError("file_not_found", `no mapping file ${path}`, `No such file: ${path}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(
      "invalid_mapping",
      `mapping ${path} is not JSON`,
      `${path} is not JSON: ${(error as Error).message}`,
    );
  }
}

/** A mapping's problems, each with its place in the file, as one error. */
export function invalidMapping(
  path: string,
  problems: readonly { field: string; message: string }[],
): AppError {
  const lines = problems.map((p) => `${p.field}: ${p.message}`);
  return new AppError(
    "invalid_mapping",
    `mapping ${path} is invalid: ${lines.join("; ")}`,
    `${path} is not a valid mapping:\n${lines.join("\n")}`,
    { issues: problems.map((p) => ({ index: 0, ...p })) },
  );
}

/** A `--mapping` file, read and checked; every problem named with its place in the file. */
export async function readMappingFile(path: string): Promise<ImportMapping> {
  const parsed = importMappingSchema.safeParse(await readJsonFile(path));
  if (parsed.success) return parsed.data;
  throw invalidMapping(
    path,
    parsed.error.issues.map((issue) => ({
      field: issue.path.join(".") || "(top)",
      message: issue.message,
    })),
  );
}
