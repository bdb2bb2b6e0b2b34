// Generators shared by the property tests: hostile text, odd times and weeks, extreme numbers,
// and rows for the ingestion API (valid ones, and ones with a known mistake at a known place).
//
// Two inputs are never valid, so the generators of valid data leave them out and the known mistakes
// put them in: the NUL character, which PostgreSQL cannot store, and the year 0000, which PostgreSQL
// has no calendar for.

import fc from "fast-check";
import {
  CUSTOMER_GOALS,
  DEFAULT_METRICS,
  METRIC_AGGREGATIONS,
  METRIC_DIRECTIONS,
  METRIC_STAGES,
  METRIC_UNITS,
} from "../../src/domain/metrics.ts";
import { isStorableText } from "../../src/domain/storable.ts";
import { REASON_OWNERS } from "../../src/domain/taxonomy.ts";
import { weeksInYear } from "../../src/domain/week.ts";

/** Strings that a database, a template or a shell might read as code: they must stay plain text. */
export const SQL_LIKE = [
  "'; drop table lead; --",
  "Robert'); DROP TABLE campaign;--",
  '" OR 1=1 --',
  "1; select pg_sleep(10)",
  "$1::text",
  "\\x00",
  "%00",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, meant literally
  "${7*7}",
  "{{7*7}}",
  "<script>alert(1)</script>",
  "<!channel>",
  "*bold* _it_ ~strike~ `code`",
  "../../etc/passwd",
  "NULL",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "toString",
] as const;

/** Emoji sequences, invisible characters and combining marks. */
export const TRICKY_GRAPHEMES = [
  "😀",
  "👩‍👩‍👧‍👦",
  "🏳️‍🌈",
  "🇩🇪",
  "👍🏽",
  "\u200b",
  "\u202e",
  "\ufeff",
  "\u00a0",
  "\u2028",
  "ﷺ",
  "𝕏",
  "e\u0301",
] as const;

const PUNCTUATION = [
  "'",
  '"',
  ";",
  "-",
  "\\",
  "%",
  ",",
  "\n",
  "\r",
  "\t",
  " ",
  "<",
  ">",
  "&",
  "#",
  "=",
];

/** Control and edge code points (not NUL): C0, DEL, C1, the last BMP and the last code point. */
const CONTROL = [
  "\u0001",
  "\u001b",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u009f",
  "\uffff",
  "\u{10ffff}",
];

const anyCodePoint = fc
  .string({ unit: "binary", minLength: 1, maxLength: 1 })
  .filter((c) => c !== "\u0000");

const textUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: anyCodePoint },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_GRAPHEMES) },
  { weight: 2, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 1, arbitrary: fc.constantFrom(...CONTROL) },
);

/** Any text a person or a CRM might send (no NUL): unicode, emoji, quotes, SQL-looking strings. */
export function anyText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: textUnit, maxLength }) },
    { weight: 2, arbitrary: fc.constantFrom(...SQL_LIKE) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "\t\n ", "\u00a0") },
  );
}

/** Length as the API's schemas count it: in code points. */
export function codePoints(text: string): number {
  return [...text].length;
}

/** Text whose trimmed length (in code points) is just under, at, or just over `limit`. */
export function textNearLimit(limit: number): fc.Arbitrary<string> {
  return fc
    .record({
      length: fc.integer({ min: limit - 1, max: limit + 1 }),
      fill: fc.constantFrom("a", "é", "😀", "'"),
      padded: fc.boolean(),
    })
    .map(({ length, fill, padded }) => {
      // Each filler is one code point, the unit the limits are counted in.
      const body = fill.repeat(length);
      return padded ? `  ${body}  ` : body;
    });
}

/** Text with at least one non-space character in it, at most `maxLength` long once trimmed. */
export function nonBlankText(maxLength = 40): fc.Arbitrary<string> {
  return anyText(maxLength).filter((s) => s.trim() !== "" && codePoints(s.trim()) <= maxLength);
}

/** JSON values whose strings use the hostile text units. */
export function anyJson(maxDepth = 3): fc.Arbitrary<fc.JsonValue> {
  return fc.jsonValue({ maxDepth, stringUnit: textUnit });
}

// ── Times, dates and weeks ────────────────────────────────────────────────────────────────────

const FIRST_SAFE_INSTANT = new Date("0001-01-02T00:00:00Z");
const LAST_SAFE_INSTANT = new Date("9999-12-30T00:00:00Z");

function offsetText(minutes: number): string {
  if (minutes === 0) return "Z";
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** A valid ISO 8601 time with an offset, anywhere from year 0001 to 9999, and the instant it means. */
export const isoTime: fc.Arbitrary<{ text: string; instant: Date }> = fc
  .record({
    instant: fc.date({ min: FIRST_SAFE_INSTANT, max: LAST_SAFE_INSTANT, noInvalidDate: true }),
    offsetMinutes: fc.oneof(
      fc.constantFrom(0, 60, -300, 330, 345, 14 * 60, -12 * 60),
      fc.integer({ min: -14 * 60, max: 14 * 60 }),
    ),
    millis: fc.boolean(),
  })
  .map(({ instant, offsetMinutes, millis }) => {
    const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString();
    const wall = millis ? local.slice(0, 23) : local.slice(0, 19);
    const exact = millis ? instant : new Date(Math.floor(instant.getTime() / 1000) * 1000);
    return { text: `${wall}${offsetText(offsetMinutes)}`, instant: exact };
  });

/** Strings that look a bit like times but are not ISO 8601 with an offset (or not real). */
export const oddTime: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "yesterday",
    "2026-11-16",
    "2026-11-16T09:30:00",
    "2026-02-30T09:30:00Z",
    "2026-13-01T00:00:00Z",
    "2026-11-16T24:00:00Z",
    "2026-11-16T09:60:00Z",
    "2026-11-16T09:30:60Z",
    "2026-11-16T09:30:00+25:00",
    "2026-11-16 09:30:00+01:00",
    "+275760-09-13T00:00:00Z",
    "-000001-01-01T00:00:00Z",
    "1e308",
    "-0",
    "NaN",
    "Infinity",
    "",
  ),
  anyText(25),
);

/** A real calendar day, year 0001 to 9999, as "YYYY-MM-DD". */
export const isoDate: fc.Arbitrary<string> = fc
  .date({
    min: new Date("0001-01-01T00:00:00Z"),
    max: new Date("9999-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

/** Day-like strings that are not a real "YYYY-MM-DD" day. */
export const oddDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-1-1",
    "20261116",
    "2026/11/16",
    "16.11.2026",
    "2026-11-16T00:00:00Z",
    "99999-01-01",
  ),
  anyText(12),
);

function week(year: number, n: number): string {
  return `${String(year).padStart(4, "0")}-W${String(n).padStart(2, "0")}`;
}

/** An ISO week that exists, e.g. "2026-W47" (week 53 only in years that have one). */
export const isoWeek: fc.Arbitrary<string> = fc
  .integer({ min: 1, max: 9999 })
  .chain((year) => fc.integer({ min: 1, max: weeksInYear(year) }).map((n) => week(year, n)));

/** Week-like strings that are not an existing ISO week. */
export const oddWeek: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "2026-W00",
    "2026-W54",
    "2021-W53",
    "2026-w47",
    "2026W47",
    "2026-W47-1",
    "26-W47",
  ),
  fc
    .integer({ min: 1, max: 9999 })
    .chain((year) => fc.integer({ min: weeksInYear(year) + 1, max: 99 }).map((n) => week(year, n))),
);

// ── Numbers ───────────────────────────────────────────────────────────────────────────────────

/** Values at the edges of what JSON numbers can say, and numbers dressed as strings. */
export const extremeNumber: fc.Arbitrary<number | string> = fc.oneof(
  fc.constantFrom(
    1e308,
    -1e308,
    5e-324,
    -0,
    0,
    2 ** 53,
    2 ** 53 + 2,
    1e15,
    -1e15,
    1e15 - 1,
    999_999_999_999_999.9,
    0.1 + 0.2,
  ),
  fc.double(),
  fc.constantFrom("NaN", "Infinity", "-0", "1e308", "12", "1,5", "0x10", ""),
);

/**
 * Number literals JSON.stringify cannot write: the body is built with a marker string that is
 * then replaced by the literal (see `rawJson`).
 */
export const rawNumberLiteral: fc.Arbitrary<string> = fc.constantFrom(
  "1e400",
  "-1e400",
  "123456789012345678901234567890",
  "-0",
  "0.0000000000000000000000000001",
  "1E308",
  "-9223372036854775809",
);

const RAW_MARKER = /"@@raw\(([^)"]*)\)@@"/g;

/** A marker that `rawJson` turns into the literal itself. */
export function rawNumber(literal: string): string {
  return `@@raw(${literal})@@`;
}

/** JSON text of `value`, with every `rawNumber` marker replaced by its literal. */
export function rawJson(value: unknown): string {
  return JSON.stringify(value).replace(RAW_MARKER, "$1");
}

// ── Rows for the ingestion API ────────────────────────────────────────────────────────────────

export type Row = Record<string, unknown>;

/** Keys of the metrics every workspace starts with. */
export const DEFAULT_METRIC_KEYS = DEFAULT_METRICS.map((m) => m.key);

export const emailAddress: fc.Arbitrary<string> = fc
  .record({
    local: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,12}$/),
    domain: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/),
    tld: fc.constantFrom("com", "example", "CO", "de", "io"),
  })
  .map(({ local, domain, tld }) => `${local}@${domain}.${tld}`);

const fieldName = fc
  .stringMatching(/^[A-Za-z0-9_.-]{1,24}$/)
  // A field named like an Object.prototype member is a separate question from this one.
  .filter((name) => !(name in Object.prototype));

const fieldValue: fc.Arbitrary<string | number | boolean | null> = fc.oneof(
  anyText(30),
  textNearLimit(1000).filter((s) => codePoints(s) <= 1000),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

const optionalText = (max: number) =>
  fc.oneof(
    anyText(40).filter((s) => codePoints(s.trim()) <= max),
    fc.constant(null),
    textNearLimit(max).filter((s) => codePoints(s.trim()) <= max),
  );

/** A small pool of campaign keys, so batches share (and sometimes create) campaigns. */
export const campaignKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("q4-webinar", "spring launch 🌱", "'; drop table campaign; --", "ÉTÉ-2026"),
  nonBlankText(30),
);

/** A lead the API must accept; `id` keeps external ids unique within a batch. */
export function validLead(id: string): fc.Arbitrary<Row> {
  return fc.record(
    {
      externalId: fc.constant(id),
      email: emailAddress,
      name: optionalText(200),
      company: optionalText(200),
      title: optionalText(200),
      campaign: fc.oneof(campaignKey, fc.constant(null)),
      owner: optionalText(200),
      createdAt: isoTime.map((t) => t.text),
      fields: fc.dictionary(fieldName, fieldValue, { maxKeys: 6 }),
    },
    { requiredKeys: ["externalId", "email", "createdAt"] },
  );
}

export const metricValueNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: -1e15 + 1, max: 1e15 - 1, noNaN: true }),
  fc.integer(),
  fc.constantFrom(0, -0, 1e15 - 1, -(1e15 - 1), 5e-324, 0.00005),
);

export function validMetricValue(): fc.Arbitrary<Row> {
  return fc.record(
    {
      metric: fc.constantFrom(...DEFAULT_METRIC_KEYS),
      campaign: fc.oneof(campaignKey, fc.constant(null)),
      period: fc.oneof(isoWeek, isoDate),
      value: metricValueNumber,
      source: fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,20}$/),
    },
    { requiredKeys: ["metric", "period", "value"] },
  );
}

export function validCampaign(key: string): fc.Arbitrary<Row> {
  return fc.record(
    {
      key: fc.constant(key),
      name: optionalText(200),
      channel: optionalText(100),
      owner: optionalText(200),
      startsOn: fc.oneof(isoDate, fc.constant(null)),
      endsOn: fc.oneof(isoDate, fc.constant(null)),
      budget: fc.oneof(
        fc.double({ min: 0, max: 1e15 - 1, noNaN: true }),
        fc.constantFrom(0, 1e15 - 1, 0.00005),
        fc.constant(null),
      ),
    },
    { requiredKeys: ["key"] },
  );
}

export const metricKey: fc.Arbitrary<string> = fc.stringMatching(
  /^[a-z][a-z0-9]{0,12}(_[a-z0-9]{1,6}){0,3}$/,
);

export function validMetricDefinition(key: string): fc.Arbitrary<Row> {
  return fc.record(
    {
      key: fc.constant(key),
      label: nonBlankText(100),
      unit: fc.constantFrom(...METRIC_UNITS),
      stage: fc.constantFrom(...METRIC_STAGES),
      goal: fc.constantFrom(...CUSTOMER_GOALS),
      direction: fc.constantFrom(...METRIC_DIRECTIONS),
      aggregation: fc.constantFrom(...METRIC_AGGREGATIONS),
      owner: fc.oneof(fc.constant(null), fc.stringMatching(/^U[0-9A-Z]{8,10}$/), nonBlankText(60)),
    },
    { requiredKeys: ["key", "label", "unit", "stage", "goal", "direction", "aggregation"] },
  );
}

/** Otherwise ordinary text with a NUL character somewhere in it. */
const textWithNul: fc.Arbitrary<string> = fc
  .tuple(anyText(10), anyText(10))
  .map(([before, after]) => `${before}\u0000${after}`);

/** Otherwise ordinary text with a NUL or half of a surrogate pair somewhere in it. */
export const unstorableText: fc.Arbitrary<string> = fc
  .tuple(
    anyText(10),
    fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff"),
    anyText(10),
  )
  // A high half followed by a low one would be a valid pair, not the broken text wanted here.
  .map(([before, unstorable, after]) => `${before}${unstorable}x${after}`);

/** A reason the API must accept; `key` keeps keys unique within a batch. */
export function validReason(key: string): fc.Arbitrary<Row> {
  return fc.record({
    key: fc.constant(key),
    label: nonBlankText(75),
    owner: fc.constantFrom(...REASON_OWNERS),
  });
}

/** A mistake the API must refuse: which field it is in, and the value (undefined = left out). */
export interface KnownMistake {
  field: string;
  value: unknown;
}

const LEAD_MISTAKES: fc.Arbitrary<KnownMistake> = fc.oneof(
  fc.constantFrom<KnownMistake>(
    { field: "externalId", value: "" },
    { field: "externalId", value: "   " },
    { field: "externalId", value: undefined },
    { field: "externalId", value: 42 },
    { field: "email", value: "not-an-email" },
    { field: "email", value: "a@b" },
    { field: "email", value: undefined },
    { field: "fields", value: [] },
    { field: "fields", value: "employees=50" },
    { field: "campaign", value: "" },
    { field: "createdAt", value: "0000-06-01T09:30:00Z" },
  ),
  textWithNul.map((value) => ({ field: "externalId", value })),
  textWithNul.map((value) => ({ field: "name", value })),
  textNearLimit(200)
    .filter((s) => codePoints(s.trim()) > 200)
    .map((value) => ({ field: "name", value })),
  oddTime.map((value) => ({ field: "createdAt", value })),
);

const METRIC_MISTAKES: fc.Arbitrary<KnownMistake> = fc.oneof(
  fc.constantFrom<KnownMistake>(
    { field: "metric", value: "Video Views" },
    { field: "metric", value: "" },
    { field: "metric", value: undefined },
    { field: "value", value: "12" },
    { field: "value", value: null },
    { field: "value", value: 1e15 },
    { field: "value", value: -1e308 },
    { field: "value", value: undefined },
    { field: "source", value: "Google Ads" },
    { field: "period", value: undefined },
    { field: "period", value: "0000-06-01" },
    { field: "period", value: "0000-W23" },
  ),
  textWithNul.map((value) => ({ field: "metric", value })),
  oddWeek.map((value) => ({ field: "period", value })),
  oddDate.map((value) => ({ field: "period", value })),
);

const CAMPAIGN_MISTAKES: fc.Arbitrary<KnownMistake> = fc.oneof(
  fc.constantFrom<KnownMistake>(
    { field: "key", value: "" },
    { field: "key", value: " \t " },
    { field: "key", value: undefined },
    { field: "budget", value: -1 },
    { field: "budget", value: 1e15 },
    { field: "budget", value: "1000" },
    { field: "channel", value: 7 },
    { field: "startsOn", value: "0000-03-01" },
  ),
  textWithNul.map((value) => ({ field: "key", value })),
  textWithNul.map((value) => ({ field: "name", value })),
  oddDate.map((value) => ({ field: "startsOn", value })),
  oddDate.map((value) => ({ field: "endsOn", value })),
);

const DEFINITION_MISTAKES: fc.Arbitrary<KnownMistake> = fc.oneof(
  fc.constantFrom<KnownMistake>(
    { field: "key", value: "VideoViews" },
    { field: "key", value: "video__views" },
    { field: "key", value: "_views" },
    { field: "key", value: `k${"x".repeat(64)}` },
    { field: "label", value: "" },
    { field: "label", value: "   " },
    { field: "unit", value: "dollars" },
    { field: "stage", value: "AWARENESS" },
    { field: "goal", value: undefined },
    { field: "direction", value: "up" },
    { field: "aggregation", value: "median" },
  ),
  textWithNul.map((value) => ({ field: "label", value })),
);

/** Each batch endpoint: its envelope name, a valid row for position i, and known mistakes. */
export interface BatchEndpoint {
  path: string;
  envelope: string;
  validRow: (i: number, salt: string) => fc.Arbitrary<Row>;
  mistakes: fc.Arbitrary<KnownMistake>;
}

export const BATCH_ENDPOINTS: readonly BatchEndpoint[] = [
  {
    path: "/api/v1/leads",
    envelope: "leads",
    validRow: (i, salt) => validLead(`${salt}-${i}`),
    mistakes: LEAD_MISTAKES,
  },
  {
    path: "/api/v1/metrics",
    envelope: "metrics",
    validRow: () => validMetricValue(),
    mistakes: METRIC_MISTAKES,
  },
  {
    path: "/api/v1/campaigns",
    envelope: "campaigns",
    validRow: (i, salt) => validCampaign(`${salt}-${i}`),
    mistakes: CAMPAIGN_MISTAKES,
  },
  {
    path: "/api/v1/metric-definitions",
    envelope: "definitions",
    validRow: (i, salt) => validMetricDefinition(`${salt}_${i}`),
    mistakes: DEFINITION_MISTAKES,
  },
];

/** A salt for unique keys: text for leads and campaigns, snake_case for metric keys. */
export function saltFor(endpoint: BatchEndpoint): fc.Arbitrary<string> {
  return endpoint.envelope === "definitions"
    ? metricKey
    : anyText(30).filter((s) => s.trim() !== "" && s.length <= 30);
}

/** `row` with `mistake` applied: the field set to the bad value, or removed. */
export function withMistake(row: Row, mistake: KnownMistake): Row {
  const { [mistake.field]: _dropped, ...rest } = row;
  return mistake.value === undefined ? rest : { ...rest, [mistake.field]: mistake.value };
}

// ── Agreed definition rules ───────────────────────────────────────────────────────────────────

/** Every code point, NUL and lone surrogate halves too; `ruleTextValue` keeps what can be stored. */
const ruleTextUnit = fc.oneof(
  { weight: 4, arbitrary: textUnit },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("true", "FALSE", "12", "-3.5e2", ",", '"', "\\", "#", "=", "in"),
  },
);

export const ruleField: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("employees", "region", "Title", "company", "email_domain", "budget.usd", "a-b"),
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/),
);

const anyRuleTextValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: ruleTextUnit, minLength: 1, maxLength: 20 }),
  fc.constantFrom(
    ...SQL_LIKE,
    ...TRICKY_GRAPHEMES,
    " ",
    "true",
    "12",
    "+5",
    ".5",
    "1e999",
    "NA, EU",
  ),
);

/** Any finite number; -0 is written as 0 (the same number for every comparison). */
export const ruleNumber: fc.Arbitrary<number> = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .map((n) => (n === 0 ? 0 : n));

export type GeneratedRule =
  | { field: string; op: "=" | "!="; value: string | number | boolean }
  | { field: string; op: ">" | ">=" | "<" | "<="; value: string | number }
  | { field: string; op: "in" | "not_in"; value: (string | number)[] }
  | { field: string; op: "exists" };

function ruleOf(text: fc.Arbitrary<string>): fc.Arbitrary<GeneratedRule> {
  return fc.oneof(
    fc.record({
      field: ruleField,
      op: fc.constantFrom("=" as const, "!=" as const),
      value: fc.oneof(text, ruleNumber, fc.boolean()),
    }),
    fc.record({
      field: ruleField,
      op: fc.constantFrom(">" as const, ">=" as const, "<" as const, "<=" as const),
      value: fc.oneof(text, ruleNumber),
    }),
    fc.record({
      field: ruleField,
      op: fc.constantFrom("in" as const, "not_in" as const),
      value: fc.array(fc.oneof(text, ruleNumber), { minLength: 1, maxLength: 5 }),
    }),
    fc.record({ field: ruleField, op: fc.constant("exists" as const) }),
  );
}

/** A rule's text value: NUL and lone surrogates are refused by the parser (PostgreSQL cannot store them). */
export const ruleTextValue: fc.Arbitrary<string> = anyRuleTextValue.filter(isStorableText);

export const rule: fc.Arbitrary<GeneratedRule> = ruleOf(ruleTextValue);

/** A valid rule document: one to eight rules. */
export const ruleDocument: fc.Arbitrary<{ all: GeneratedRule[] }> = fc
  .array(rule, { minLength: 1, maxLength: 8 })
  .map((all) => ({ all }));
