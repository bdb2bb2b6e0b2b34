import { z } from "zod";
import type { InputProblem } from "./app-error.ts";
import { metricKeySchema } from "./metrics.ts";
import { isStorableYear, storableString, UNSTORABLE_YEAR } from "./storable.ts";
import { parseIsoWeek, weekStartDate } from "./week.ts";

// What arrives from outside (HTTP API bodies and CSV rows) is parsed here, once, into the types
// the inside works with. Messages are written for the person who sent the data.

export const MAX_BATCH = 1000;

export const campaignKeySchema = storableString()
  .trim()
  .min(1, "A campaign key cannot be empty")
  .max(200, "A campaign key has at most 200 characters");

const optionalText = (max: number) =>
  storableString()
    .trim()
    .max(max, `At most ${max} characters`)
    .nullish()
    .transform((v) => v || null);

export const fieldNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, "Field names use letters, digits, _ . -");

/** Qualification fields by name, each `value`; a bad name is refused saying what a name may be. */
export function fieldRecord<V extends z.ZodType>(value: V) {
  return z.record(fieldNameSchema, value, {
    // zod reports a bad name as "Invalid key in record": say what a name may be instead.
    error: (issue) => (issue.code === "invalid_key" ? issue.issues[0]?.message : undefined),
  });
}

const fieldValue = z.union([
  storableString().max(1000, "A field value has at most 1000 characters"),
  z.number().refine(Number.isFinite, "Numbers must be finite"),
  z.boolean(),
  z.null(),
]);

/** ISO 8601 also writes an offset without its colon (`+0100`, as Salesforce does): add it. */
const withOffsetColon = (time: unknown) =>
  typeof time === "string" ? time.replace(/([+-]\d{2})(\d{2})$/, "$1:$2") : time;

export const isoTime = z.preprocess(
  withOffsetColon,
  z.iso
    .datetime({
      offset: true,
      error: "An ISO 8601 time with an offset, e.g. 2026-11-16T09:30:00+01:00 or +0100",
    })
    .transform((s) => new Date(s))
    .refine(isStorableYear, UNSTORABLE_YEAR),
);

export const leadInputSchema = z.strictObject({
  externalId: storableString()
    .trim()
    .min(1, "externalId is required")
    .max(200, "At most 200 characters"),
  // Trimmed as the other text is: " ana@acme.example " from a copied cell is that address.
  email: z
    .string({ error: "A valid email address" })
    .trim()
    .pipe(z.email({ error: "A valid email address" }).max(320))
    .transform((e) => e.toLowerCase()),
  name: optionalText(200),
  company: optionalText(200),
  title: optionalText(200),
  campaign: campaignKeySchema.nullish().transform((v) => v ?? null),
  owner: optionalText(200),
  /** Absent: the time Leadfit first received the lead. */
  createdAt: isoTime.nullish().transform((v) => v ?? null),
  fields: z
    .preprocess(
      (fields, ctx) => {
        // zod drops a "__proto__" key without a word; say so instead of losing the field.
        if (typeof fields === "object" && fields !== null && Object.hasOwn(fields, "__proto__"))
          ctx.addIssue({ code: "custom", message: "__proto__ cannot be a field name" });
        return fields;
      },
      fieldRecord(fieldValue).refine((f) => Object.keys(f).length <= 100, "At most 100 fields"),
    )
    .default({}),
});
export type LeadInput = z.infer<typeof leadInputSchema>;

/** "2026-11-16" (a day) or "2026-W47" (an ISO week), as stored: granularity and first day. */
export const periodSchema = z.string().transform((text, ctx) => {
  const trimmed = text.trim();
  if (/^\d{4}-W\d{2}$/.test(trimmed)) {
    try {
      return { granularity: "week" as const, periodStart: weekStartDate(parseIsoWeek(trimmed)) };
    } catch {
      ctx.addIssue({ code: "custom", message: `${trimmed} is not an ISO week that exists` });
      return z.NEVER;
    }
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const parsed = date ? new Date(`${trimmed}T00:00:00Z`) : undefined;
  if (
    !parsed ||
    Number.isNaN(parsed.getTime()) ||
    !isStorableYear(parsed) ||
    parsed.toISOString().slice(0, 10) !== trimmed
  ) {
    ctx.addIssue({
      code: "custom",
      message: "A date like 2026-11-16 or an ISO week like 2026-W47",
    });
    return z.NEVER;
  }
  return { granularity: "day" as const, periodStart: trimmed };
});

export const sourceSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    "A source is lowercase letters, digits, _ . - (e.g. google_ads)",
  );

export const metricValueInputSchema = z.strictObject({
  metric: metricKeySchema,
  campaign: campaignKeySchema.nullish().transform((v) => v ?? null),
  period: periodSchema,
  value: z
    .number({ error: "A number" })
    .refine(Number.isFinite, "A finite number")
    .refine((v) => Math.abs(v) < 1e15, "Too large"),
  source: sourceSchema.default("api"),
});
export type MetricValueInput = z.infer<typeof metricValueInputSchema>;

// `abort`: text that is no date has no year to tell the sender about.
const dateText = z.iso
  .date({ error: "A date like 2026-11-16", abort: true })
  .refine((date) => isStorableYear(new Date(`${date}T00:00:00Z`)), UNSTORABLE_YEAR);

export const campaignInputSchema = z.strictObject({
  key: campaignKeySchema,
  name: optionalText(200),
  channel: optionalText(100),
  owner: optionalText(200),
  startsOn: dateText.nullish().transform((v) => v ?? null),
  endsOn: dateText.nullish().transform((v) => v ?? null),
  budget: z
    .number()
    .nonnegative("A budget cannot be negative")
    .refine((v) => v < 1e15, "Too large")
    .nullish()
    .transform((v) => v ?? null),
});
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Every row checked, so a sender learns the whole batch's state at once: the first `listed`
 * problems, how many there are, and how many rows have one.
 */
export function batchIssues<T>(
  schema: z.ZodType<T>,
  rows: readonly unknown[],
  listed: number,
):
  | { ok: true; rows: T[] }
  | { ok: false; issues: InputProblem[]; totalIssues: number; invalidRows: number } {
  const parsedRows: T[] = [];
  const issues: InputProblem[] = [];
  let totalIssues = 0;
  let invalidRows = 0;
  rows.forEach((row, index) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) {
      parsedRows.push(parsed.data);
      return;
    }
    invalidRows += 1;
    totalIssues += parsed.error.issues.length;
    for (const issue of parsed.error.issues.slice(0, listed - issues.length))
      issues.push({ index, field: issue.path.join(".") || "(row)", message: issue.message });
  });
  return invalidRows > 0
    ? { ok: false, issues, totalIssues, invalidRows }
    : { ok: true, rows: parsedRows };
}

export const outcomeTypes = ["opportunity", "won", "lost"] as const;
export type OutcomeType = (typeof outcomeTypes)[number];

/** One outcome of a lead: an opportunity opened, won or lost, identified by (externalId, type). */
export const outcomeInputSchema = z.strictObject({
  externalId: storableString()
    .trim()
    .min(1, "externalId (the opportunity's id) is required")
    .max(200, "At most 200 characters"),
  lead: storableString()
    .trim()
    .min(1, "lead (the lead's externalId) is required")
    .max(200, "At most 200 characters"),
  type: z.enum(outcomeTypes, { error: "type is opportunity, won or lost" }),
  at: isoTime,
  amount: z
    .number({ error: "An amount in the workspace currency" })
    .nonnegative("An amount cannot be negative")
    .refine((v) => v < 1e15, "Too large")
    .nullish()
    .transform((v) => v ?? null),
});
export type OutcomeInput = z.infer<typeof outcomeInputSchema>;
