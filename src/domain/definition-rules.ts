import { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT } from "./storable.ts";

// The agreed lead definition: a list of rules that must all hold. Stored as JSON, edited in Slack
// as text, one rule per line.

export const RULE_OPS = ["=", "!=", ">", ">=", "<", "<=", "in", "not_in", "exists"] as const;
export type RuleOp = (typeof RULE_OPS)[number];

const EQUALITY_OPS = ["=", "!="] as const;
const ORDER_OPS = [">", ">=", "<", "<="] as const;
const LIST_OPS = ["in", "not_in"] as const;

/** Fields every lead has besides its qualification fields; these names (any case) always mean them. */
export const BUILT_IN_FIELDS = ["title", "company", "email_domain"] as const;

export type RuleValue = string | number | boolean | (string | number)[];

export interface Rule {
  field: string;
  op: RuleOp;
  value?: RuleValue;
}

export interface RuleDocument {
  all: Rule[];
}

export type FieldValue = string | number | boolean | null;

export interface LeadFacts {
  fields: Record<string, FieldValue>;
  title: string | null;
  company: string | null;
  email: string;
}

export interface RuleFailure {
  rule: Rule;
  /** The rule in its one-line text form, e.g. "employees >= 50". */
  text: string;
  reason: "missing" | "failed";
  actual?: FieldValue;
}

const FIELD_PATTERN = /^[A-Za-z0-9_.-]+$/;
const FIELD_HINT = "use letters, digits, _, . or -";
const MAX_FIELD_LENGTH = 100;

const fieldSchema = z
  .string()
  .min(1, "A rule needs a field")
  .max(MAX_FIELD_LENGTH, `A field name has at most ${MAX_FIELD_LENGTH} characters`)
  .regex(FIELD_PATTERN, `Bad field name: ${FIELD_HINT}`);
const textSchema = z.string().min(1, "A value cannot be empty");
const listSchema = z
  .array(z.union([textSchema, z.number()]))
  .min(1, "in and not_in need at least one value");

export const ruleSchema = z.discriminatedUnion("op", [
  z.strictObject({
    field: fieldSchema,
    op: z.enum(EQUALITY_OPS),
    value: z.union([textSchema, z.number(), z.boolean()]),
  }),
  z.strictObject({
    field: fieldSchema,
    op: z.enum(ORDER_OPS),
    value: z.union([textSchema, z.number()]),
  }),
  z.strictObject({ field: fieldSchema, op: z.enum(LIST_OPS), value: listSchema }),
  z.strictObject({ field: fieldSchema, op: z.literal("exists") }),
]) satisfies z.ZodType<Rule>;

export const ruleDocumentSchema = z.strictObject({
  all: z.array(ruleSchema).min(1, "A definition needs at least one rule"),
}) satisfies z.ZodType<RuleDocument>;

// ── Evaluation ────────────────────────────────────────────────────────────────────────────────

const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The number a value stands for, if it is one or looks like one ("50" → 50). */
function numericValue(v: string | number | boolean): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string" || !NUMBER_PATTERN.test(v.trim())) return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

function normalizedText(v: string | number | boolean): string {
  return String(v).trim().toLowerCase();
}

function equals(a: string | number | boolean, b: string | number | boolean): boolean {
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  return normalizedText(a) === normalizedText(b);
}

/** Sign of a − b; undefined when the two cannot be ordered (number vs text, booleans). */
function order(a: string | number | boolean, b: string | number | boolean): number | undefined {
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na !== undefined && nb !== undefined) return Math.sign(na - nb);
  // Text orders as text so ISO dates ("2026-01-31") compare correctly.
  if (typeof a !== "string" || typeof b !== "string" || na !== undefined || nb !== undefined) {
    return undefined;
  }
  const ta = normalizedText(a);
  const tb = normalizedText(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

function emailDomain(email: string): string | null {
  const at = email.lastIndexOf("@");
  const domain =
    at < 0
      ? ""
      : email
          .slice(at + 1)
          .trim()
          .toLowerCase();
  return domain === "" ? null : domain;
}

function lookUp(lead: LeadFacts, field: string): FieldValue {
  switch (field.toLowerCase()) {
    case "title":
      return lead.title;
    case "company":
      return lead.company;
    case "email_domain":
      return emailDomain(lead.email);
  }
  // Own keys only: a field named "constructor" must not find Object.prototype's.
  if (Object.hasOwn(lead.fields, field)) return lead.fields[field] ?? null;
  const key = Object.keys(lead.fields).find((k) => k.toLowerCase() === field.toLowerCase());
  return key === undefined ? null : (lead.fields[key] ?? null);
}

function isMissing(v: FieldValue): v is null {
  return v === null || (typeof v === "string" && v.trim() === "");
}

/** Whether a present value satisfies the rule; a malformed rule (unvalidated) fails closed. */
function holds(rule: Rule, actual: string | number | boolean): boolean {
  const { op, value } = rule;
  if (op === "exists") return true;
  if (op === "in" || op === "not_in") {
    if (!Array.isArray(value)) return false;
    return value.some((item) => equals(actual, item)) === (op === "in");
  }
  if (value === undefined || Array.isArray(value)) return false;
  if (op === "=") return equals(actual, value);
  if (op === "!=") return !equals(actual, value);
  const sign = order(actual, value);
  if (sign === undefined) return false;
  switch (op) {
    case ">":
      return sign > 0;
    case ">=":
      return sign >= 0;
    case "<":
      return sign < 0;
    case "<=":
      return sign <= 0;
  }
}

/** Checks a lead against every rule; all must hold for the lead to meet the definition. */
export function evaluateDefinition(
  doc: RuleDocument,
  lead: LeadFacts,
): { status: "met" | "not_met"; failed: RuleFailure[] } {
  const failed: RuleFailure[] = [];
  for (const rule of doc.all) {
    const actual = lookUp(lead, rule.field);
    if (isMissing(actual)) {
      failed.push({ rule, text: formatRule(rule), reason: "missing" });
    } else if (!holds(rule, actual)) {
      failed.push({ rule, text: formatRule(rule), reason: "failed", actual });
    }
  }
  return { status: failed.length === 0 ? "met" : "not_met", failed };
}

// ── Text form ─────────────────────────────────────────────────────────────────────────────────

const OPS_HINT = RULE_OPS.join(" ");
const BOOLEAN_PATTERN = /^(true|false)$/i;

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function needsQuotes(s: string, inList: boolean): boolean {
  return (
    s === "" ||
    s !== s.trim() ||
    numericValue(s) !== undefined ||
    BOOLEAN_PATTERN.test(s) ||
    (inList && s.includes(",")) ||
    // Quotes, backslashes and control characters only survive inside a JSON string.
    JSON.stringify(s) !== `"${s}"`
  );
}

function formatValue(v: string | number | boolean, inList: boolean): string {
  return typeof v === "string" && needsQuotes(v, inList) ? JSON.stringify(v) : String(v);
}

/** One line: "employees >= 50", "region in NA, EU", "budget exists". */
export function formatRule(rule: Rule): string {
  const { field, op, value } = rule;
  if (op === "exists" || value === undefined) return `${field} ${op}`;
  const text = Array.isArray(value)
    ? value.map((item) => formatValue(item, true)).join(", ")
    : formatValue(value, false);
  return `${field} ${op} ${text}`;
}

export function formatRuleText(doc: RuleDocument): string {
  return doc.all.map(formatRule).join("\n");
}

/** Splits a list on commas outside double quotes. */
function splitList(text: string): string[] {
  const items: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === "\\") {
      current += ch + (text[i + 1] ?? "");
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === "," && !quoted) {
      items.push(current.trim());
      current = "";
    } else {
      current += ch;
    }
  }
  items.push(current.trim());
  return items;
}

/** A value as written: "quoted" is always text; else a number, true/false, or text. */
function parseValue(raw: string): Parsed<string | number | boolean> {
  if (raw.startsWith('"')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== "string") {
      return {
        ok: false,
        message: `Bad quoted value ${raw}: end it with " and write \\" for a quote inside`,
      };
    }
    if (parsed === "")
      return { ok: false, message: "Empty value: write the value to compare with" };
    if (!isStorableText(parsed))
      return { ok: false, message: `Bad quoted value ${raw}: ${UNSTORABLE_TEXT.toLowerCase()}` };
    return { ok: true, value: parsed };
  }
  const n = numericValue(raw);
  if (n !== undefined) return { ok: true, value: n };
  if (BOOLEAN_PATTERN.test(raw)) return { ok: true, value: raw.toLowerCase() === "true" };
  return { ok: true, value: raw };
}

function parseListValue(op: RuleOp, text: string): Parsed<(string | number)[]> {
  const items: (string | number)[] = [];
  for (const raw of splitList(text)) {
    // A stray comma ("NA, EU,") is harmless; only a list with nothing in it is an error.
    if (raw === "") continue;
    const parsed = parseValue(raw);
    if (!parsed.ok) return parsed;
    // Lists hold text and numbers; an unquoted true/false in a list is taken as the word.
    items.push(typeof parsed.value === "boolean" ? raw : parsed.value);
  }
  if (items.length === 0) {
    return {
      ok: false,
      message: `Empty list after ${op}: give values separated by commas, e.g. NA, EU`,
    };
  }
  return { ok: true, value: items };
}

function parseRuleLine(line: string): Parsed<Rule> {
  const field = /^[^\s=!<>]+/.exec(line)?.[0];
  if (field === undefined) {
    return {
      ok: false,
      message: "Missing field name: start the rule with a field, e.g. employees >= 50",
    };
  }
  if (!FIELD_PATTERN.test(field)) {
    return { ok: false, message: `Bad field name "${field}": ${FIELD_HINT}` };
  }
  if (field.length > MAX_FIELD_LENGTH) {
    return { ok: false, message: `Field name too long: at most ${MAX_FIELD_LENGTH} characters` };
  }
  const rest = line.slice(field.length).trim();
  const opText =
    /^[=!<>]+/.exec(rest)?.[0] ?? /^[A-Za-z_]\w*/.exec(rest)?.[0] ?? /^\S+/.exec(rest)?.[0];
  if (opText === undefined) {
    return { ok: false, message: `Missing operator after ${field}: use one of ${OPS_HINT}` };
  }
  const op = RULE_OPS.find((o) => o === opText.toLowerCase());
  if (op === undefined) {
    return { ok: false, message: `Unknown operator "${opText}": use one of ${OPS_HINT}` };
  }
  const valueText = rest.slice(opText.length).trim();
  if (op === "exists") {
    return valueText === ""
      ? { ok: true, value: { field, op } }
      : { ok: false, message: `exists takes no value: remove "${valueText}"` };
  }
  const isList = op === "in" || op === "not_in";
  if (valueText === "") {
    const example = isList ? "a list such as NA, EU" : "a value such as 50";
    return { ok: false, message: `Missing value after ${op}: give ${example}` };
  }
  if (isList) {
    const list = parseListValue(op, valueText);
    return list.ok ? { ok: true, value: { field, op, value: list.value } } : list;
  }
  const value = parseValue(valueText);
  if (!value.ok) return value;
  if (typeof value.value === "boolean" && op !== "=" && op !== "!=") {
    return { ok: false, message: `${op} compares numbers or text, not true/false` };
  }
  return { ok: true, value: { field, op, value: value.value } };
}

/**
 * Parses the text form, one rule per line; blank lines and lines starting with # are skipped.
 * Every bad line is reported with its 1-based number, so all mistakes can be fixed at once.
 */
export function parseRuleText(
  text: string,
):
  | { ok: true; document: RuleDocument }
  | { ok: false; errors: { line: number; message: string }[] } {
  const rules: Rule[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const parsed = parseRuleLine(line);
    if (parsed.ok) rules.push(parsed.value);
    else errors.push({ line: index + 1, message: parsed.message });
  });
  if (errors.length === 0 && rules.length === 0) {
    // Nothing to point at, so the whole text's first line carries the error.
    errors.push({ line: 1, message: "No rules: write one rule per line, e.g. employees >= 50" });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, document: { all: rules } };
}
