import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  batchIssues,
  campaignInputSchema,
  leadInputSchema,
  metricValueInputSchema,
  outcomeInputSchema,
  periodSchema,
} from "../../src/domain/ingest-schemas.ts";

const lead = { externalId: "crm-1", email: "ana@acme.example" };
const metricValue = { metric: "video_views", period: "2026-11-16", value: 12 };
const campaign = { key: "spring-webinar" };
const outcome = { externalId: "opp-1", lead: "crm-1", type: "won", at: "2026-11-20T15:00:00Z" };

/** The problems a sender is told of: each one's field (dotted) and message. */
const problems = (schema: z.ZodType, input: unknown) =>
  schema.safeParse(input).error?.issues.map((issue) => [issue.path.join("."), issue.message]);

const text = (length: number) => "x".repeat(length);

/** Refusal rows (field, value, message) named by field and value, a long text by its length. */
const refusals = (rows: [string, unknown, string][]) =>
  rows.map(([field, value, message]): [string, string, unknown, string] => {
    const long = typeof value === "string" && value.length > 40;
    return [field, long ? `${value.length} characters` : JSON.stringify(value), value, message];
  });

const UNSTORABLE_TEXT = "Text cannot contain NUL characters or broken Unicode";
const UNSTORABLE_YEAR = "Years run from 0001 to 9999";
const ISO_TIME = "An ISO 8601 time with an offset, e.g. 2026-11-16T09:30:00+01:00 or +0100";

describe("a lead's createdAt", () => {
  it("takes every ISO 8601 offset spelling: Z, +01:00 and +0100", () => {
    for (const [text, utc] of [
      ["2026-11-16T09:30:00Z", "2026-11-16T09:30:00.000Z"],
      ["2026-11-16T09:30:00+01:00", "2026-11-16T08:30:00.000Z"],
      ["2026-11-16T09:30:00.000+0000", "2026-11-16T09:30:00.000Z"],
      ["2026-11-16T09:30:00-0500", "2026-11-16T14:30:00.000Z"],
    ])
      expect(leadInputSchema.parse({ ...lead, createdAt: text }).createdAt).toEqual(
        new Date(utc ?? ""),
      );
  });

  it("may be left out (then the time it is first received), but not be a time without offset", () => {
    expect(leadInputSchema.parse(lead).createdAt).toBeNull();
    expect(
      leadInputSchema.safeParse({ ...lead, createdAt: "2026-11-16T09:30:00" }).error?.issues[0]
        ?.message,
    ).toMatch(/with an offset/);
  });

  it.each([
    ["an offset of hours alone", "2026-11-16T09:30:00+01", ISO_TIME],
    ["a time that is not text", 1_795_000_000_000, ISO_TIME],
    ["year 0", "0000-12-31T12:00:00Z", UNSTORABLE_YEAR],
    ["a time in year 10000 once in UTC", "9999-12-31T23:30:00-0100", UNSTORABLE_YEAR],
  ])("refuses %s", (_, createdAt, message) => {
    expect(problems(leadInputSchema, { ...lead, createdAt })).toEqual([["createdAt", message]]);
  });

  it("takes the first and last storable years", () => {
    for (const createdAt of ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59+0000"])
      expect(leadInputSchema.parse({ ...lead, createdAt }).createdAt).toEqual(new Date(createdAt));
  });
});

describe("a lead", () => {
  it("needs only an externalId and an email; the rest is null, and fields empty", () => {
    expect(leadInputSchema.parse({ ...lead, name: null, campaign: null, createdAt: null })).toEqual(
      {
        externalId: "crm-1",
        email: "ana@acme.example",
        name: null,
        company: null,
        title: null,
        campaign: null,
        owner: null,
        createdAt: null,
        fields: {},
      },
    );
  });

  it("is trimmed, its email lowercased, and blank text read as none", () => {
    expect(
      leadInputSchema.parse({
        externalId: "  crm-1 ",
        email: " Ana@ACME.example\t",
        name: " Ana Lima ",
        company: "   ",
        title: "",
        campaign: " spring-webinar ",
        owner: "\tU123\n",
      }),
    ).toMatchObject({
      externalId: "crm-1",
      email: "ana@acme.example",
      name: "Ana Lima",
      company: null,
      title: null,
      campaign: "spring-webinar",
      owner: "U123",
    });
  });

  it("takes 200 characters of text, trimmed, in each field that has that limit", () => {
    const long = ` ${text(200)} `;
    expect(
      leadInputSchema.parse({
        ...lead,
        externalId: long,
        name: long,
        company: long,
        title: long,
        campaign: long,
        owner: long,
      }),
    ).toMatchObject({
      externalId: text(200),
      name: text(200),
      company: text(200),
      title: text(200),
      campaign: text(200),
      owner: text(200),
    });
  });

  it.each(
    refusals([
      ["externalId", "", "externalId is required"],
      ["externalId", "   ", "externalId is required"],
      ["externalId", text(201), "At most 200 characters"],
      ["email", "ana.acme.example", "A valid email address"],
      ["name", text(201), "At most 200 characters"],
      ["company", text(201), "At most 200 characters"],
      ["title", text(201), "At most 200 characters"],
      ["owner", text(201), "At most 200 characters"],
      ["name", "Ana\u0000Lima", UNSTORABLE_TEXT],
      ["company", "Acme \uD83D", UNSTORABLE_TEXT],
      ["campaign", "  ", "A campaign key cannot be empty"],
      ["campaign", text(201), "A campaign key has at most 200 characters"],
    ]),
  )("refuses %s %s, saying why", (field, _, value, message) => {
    expect(problems(leadInputSchema, { ...lead, [field]: value })).toEqual([[field, message]]);
  });

  it("refuses a property it does not know rather than drop it", () => {
    expect(problems(leadInputSchema, { ...lead, phone: "+351 900 000 000" })).toEqual([
      ["", 'Unrecognized key: "phone"'],
    ]);
  });
});

describe("a lead's fields", () => {
  const withFields = (fields: unknown) => ({ ...lead, fields });
  const manyFields = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`field_${i}`, i]));

  it("keep text, numbers, booleans and null under names of letters, digits, _ . -", () => {
    const fields = {
      industry: "Retail",
      "employees.count": 250,
      "is-partner": true,
      Region_2: null,
      [text(100)]: text(1000),
    };
    expect(leadInputSchema.parse(withFields(fields)).fields).toEqual(fields);
  });

  it("take up to 100 fields", () => {
    expect(Object.keys(leadInputSchema.parse(withFields(manyFields(100))).fields)).toHaveLength(
      100,
    );
    expect(problems(leadInputSchema, withFields(manyFields(101)))).toEqual([
      ["fields", "At most 100 fields"],
    ]);
  });

  it.each([
    [
      "a name with a space",
      { "deal size": 1 },
      "fields.deal size",
      "Field names use letters, digits, _ . -",
    ],
    ["an empty name", { "": 1 }, "fields.", "Field names use letters, digits, _ . -"],
    [
      "a name of 101 characters",
      { [text(101)]: 1 },
      `fields.${text(101)}`,
      "Field names use letters, digits, _ . -",
    ],
    [
      "a value of 1001 characters",
      { notes: text(1001) },
      "fields.notes",
      "A field value has at most 1000 characters",
    ],
    ["a value PostgreSQL cannot store", { notes: "a\u0000b" }, "fields.notes", UNSTORABLE_TEXT],
    [
      "__proto__ as a name",
      JSON.parse('{"__proto__": 1, "industry": "Retail"}'),
      "fields",
      "__proto__ cannot be a field name",
    ],
    [
      "null (leave them out instead)",
      null,
      "fields",
      "Invalid input: expected record, received null",
    ],
  ])("refuse %s", (_, fields, field, message) => {
    expect(problems(leadInputSchema, withFields(fields))).toEqual([[field, message]]);
  });
});

describe("a period", () => {
  it.each([
    ["2026-11-16", { granularity: "day", periodStart: "2026-11-16" }],
    [" 2024-02-29 ", { granularity: "day", periodStart: "2024-02-29" }],
    ["0001-01-01", { granularity: "day", periodStart: "0001-01-01" }],
    ["9999-12-31", { granularity: "day", periodStart: "9999-12-31" }],
    ["2026-W47", { granularity: "week", periodStart: "2026-11-16" }],
    [" 2026-W01 ", { granularity: "week", periodStart: "2025-12-29" }],
    ["2026-W53", { granularity: "week", periodStart: "2026-12-28" }],
  ])("%j is read as %o", (period, parsed) => {
    expect(periodSchema.parse(period)).toEqual(parsed);
  });

  it.each(["2025-W53", "2026-W00", "2026-W54"])(
    "%s is refused as an ISO week that does not exist",
    (period) => {
      expect(problems(periodSchema, period)).toEqual([
        ["", `${period} is not an ISO week that exists`],
      ]);
    },
  );

  it.each([
    "2026-02-30",
    "2025-02-29",
    "2026-13-01",
    "2026-11-1",
    "16/11/2026",
    "0000-12-31",
    "2026-w47",
    "2026-W47-1",
    "12026-W47",
    "",
  ])("%j is refused as neither a date nor an ISO week", (period) => {
    expect(problems(periodSchema, period)).toEqual([
      ["", "A date like 2026-11-16 or an ISO week like 2026-W47"],
    ]);
  });
});

describe("a metric value", () => {
  it("is read with its period, no campaign, and the source api unless it names one", () => {
    expect(metricValueInputSchema.parse({ ...metricValue, period: "2026-W47" })).toEqual({
      metric: "video_views",
      campaign: null,
      period: { granularity: "week", periodStart: "2026-11-16" },
      value: 12,
      source: "api",
    });
    expect(
      metricValueInputSchema.parse({ ...metricValue, campaign: " spring ", source: "google_ads" }),
    ).toMatchObject({ campaign: "spring", source: "google_ads" });
  });

  it.each([999_999_999_999_999, -999_999_999_999_999, 0, -3.5])("takes the value %d", (value) => {
    expect(metricValueInputSchema.parse({ ...metricValue, value }).value).toBe(value);
  });

  it.each(
    refusals([
      ["value", 1e15, "Too large"],
      ["value", -1e15, "Too large"],
      ["value", "12", "A number"],
      ["metric", "Video Views", "A metric key is lowercase snake_case, e.g. video_views"],
      ["period", "2026-02-30", "A date like 2026-11-16 or an ISO week like 2026-W47"],
      ["source", "Google Ads", "A source is lowercase letters, digits, _ . - (e.g. google_ads)"],
      ["source", "_ads", "A source is lowercase letters, digits, _ . - (e.g. google_ads)"],
      ["source", `a${text(64)}`, "A source is lowercase letters, digits, _ . - (e.g. google_ads)"],
      ["campaign", "", "A campaign key cannot be empty"],
    ]),
  )("refuses %s %s, saying why", (field, _, value, message) => {
    expect(problems(metricValueInputSchema, { ...metricValue, [field]: value })).toEqual([
      [field, message],
    ]);
  });

  it("takes a source of 64 characters", () => {
    const source = `a${text(63)}`;
    expect(metricValueInputSchema.parse({ ...metricValue, source }).source).toBe(source);
  });
});

describe("a campaign", () => {
  it("needs only a key; the rest is null", () => {
    expect(campaignInputSchema.parse({ ...campaign, name: null, budget: null })).toEqual({
      key: "spring-webinar",
      name: null,
      channel: null,
      owner: null,
      startsOn: null,
      endsOn: null,
      budget: null,
    });
  });

  it("is trimmed, and keeps its dates as written and its budget from 0", () => {
    expect(
      campaignInputSchema.parse({
        key: " spring-webinar ",
        name: " Spring webinar ",
        channel: ` ${text(100)} `,
        owner: "",
        startsOn: "2024-02-29",
        endsOn: "9999-12-31",
        budget: 0,
      }),
    ).toEqual({
      key: "spring-webinar",
      name: "Spring webinar",
      channel: text(100),
      owner: null,
      startsOn: "2024-02-29",
      endsOn: "9999-12-31",
      budget: 0,
    });
    expect(campaignInputSchema.parse({ ...campaign, budget: 999_999_999_999_999 }).budget).toBe(
      999_999_999_999_999,
    );
  });

  it.each(
    refusals([
      ["key", " ", "A campaign key cannot be empty"],
      ["key", text(201), "A campaign key has at most 200 characters"],
      ["name", text(201), "At most 200 characters"],
      ["channel", text(101), "At most 100 characters"],
      ["startsOn", "2026-02-30", "A date like 2026-11-16"],
      ["endsOn", "2026-11-16T00:00:00Z", "A date like 2026-11-16"],
      ["endsOn", "next week", "A date like 2026-11-16"],
      ["startsOn", "0000-01-01", UNSTORABLE_YEAR],
      ["budget", -0.01, "A budget cannot be negative"],
      ["budget", 1e15, "Too large"],
    ]),
  )("refuses %s %s, saying why", (field, _, value, message) => {
    expect(problems(campaignInputSchema, { ...campaign, [field]: value })).toEqual([
      [field, message],
    ]);
  });
});

describe("an outcome", () => {
  it("is read with its time in UTC and no amount unless it has one", () => {
    expect(outcomeInputSchema.parse({ ...outcome, at: "2026-11-20T15:00:00+0100" })).toEqual({
      externalId: "opp-1",
      lead: "crm-1",
      type: "won",
      at: new Date("2026-11-20T14:00:00Z"),
      amount: null,
    });
    expect(
      outcomeInputSchema.parse({ ...outcome, externalId: " opp-1 ", lead: " crm-1 ", amount: 0 }),
    ).toMatchObject({ externalId: "opp-1", lead: "crm-1", amount: 0 });
  });

  it.each(
    refusals([
      ["externalId", " ", "externalId (the opportunity's id) is required"],
      ["externalId", text(201), "At most 200 characters"],
      ["lead", "", "lead (the lead's externalId) is required"],
      ["lead", text(201), "At most 200 characters"],
      ["type", "closed", "type is opportunity, won or lost"],
      ["at", undefined, ISO_TIME],
      ["at", "2026-11-20", ISO_TIME],
      ["amount", "2500", "An amount in the workspace currency"],
      ["amount", -1, "An amount cannot be negative"],
      ["amount", 1e15, "Too large"],
    ]),
  )("refuses %s %s, saying why", (field, _, value, message) => {
    expect(problems(outcomeInputSchema, { ...outcome, [field]: value })).toEqual([
      [field, message],
    ]);
  });
});

describe("a batch's issues", () => {
  const broken = { ...lead, externalId: "", email: "nope" };

  it("are none when every row is valid: then the rows, parsed", () => {
    expect(batchIssues(leadInputSchema, [lead, { ...lead, externalId: " crm-2 " }], 10)).toEqual({
      ok: true,
      rows: [
        expect.objectContaining({ externalId: "crm-1", fields: {} }),
        expect.objectContaining({ externalId: "crm-2", fields: {} }),
      ],
    });
  });

  it("list every problem of every row, each by its row's index and field", () => {
    expect(
      batchIssues(leadInputSchema, [lead, broken, { ...lead, fields: { "a b": 1 } }, "crm-3"], 10),
    ).toEqual({
      ok: false,
      issues: [
        { index: 1, field: "externalId", message: "externalId is required" },
        { index: 1, field: "email", message: "A valid email address" },
        { index: 2, field: "fields.a b", message: "Field names use letters, digits, _ . -" },
        { index: 3, field: "(row)", message: expect.stringContaining("expected object") },
      ],
      totalIssues: 4,
      invalidRows: 3,
    });
  });

  it.each([
    [0, []],
    [1, [1]],
    [3, [1, 1, 3]],
  ])("list the first %i problems, yet count them all", (listed, indexes) => {
    expect(
      batchIssues(leadInputSchema, [lead, broken, lead, broken, broken], listed),
    ).toMatchObject({
      ok: false,
      issues: indexes.map((index) => ({ index })),
      totalIssues: 6,
      invalidRows: 3,
    });
  });
});
