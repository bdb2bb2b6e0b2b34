import { describe, expect, it } from "vitest";
import {
  evaluateDefinition,
  formatRule,
  formatRuleText,
  type LeadFacts,
  parseRuleText,
  type Rule,
  type RuleDocument,
  ruleDocumentSchema,
  ruleSchema,
} from "../../src/domain/definition-rules.ts";

const lead: LeadFacts = {
  fields: {
    employees: 120,
    employees_text: "50",
    region: "EU",
    country: "DE",
    industry: " software ",
    budget: true,
    notes: "",
    phone: null,
    signup: "2026-01-31",
  },
  title: "Head of Marketing",
  company: "Acme GmbH",
  email: "Jane.Doe@Acme.DE",
};

function holds(rule: Rule, facts: LeadFacts = lead): boolean {
  return evaluateDefinition({ all: [rule] }, facts).status === "met";
}

describe("evaluateDefinition: operators", () => {
  it.each<[Rule, boolean]>([
    [{ field: "industry", op: "=", value: "Software" }, true],
    [{ field: "industry", op: "=", value: "Retail" }, false],
    [{ field: "country", op: "!=", value: "RU" }, true],
    [{ field: "country", op: "!=", value: "de" }, false],
    [{ field: "employees", op: ">", value: 100 }, true],
    [{ field: "employees", op: ">", value: 120 }, false],
    [{ field: "employees", op: ">=", value: 120 }, true],
    [{ field: "employees", op: ">=", value: 121 }, false],
    [{ field: "employees", op: "<", value: 500 }, true],
    [{ field: "employees", op: "<", value: 120 }, false],
    [{ field: "employees", op: "<=", value: 120 }, true],
    [{ field: "employees", op: "<=", value: 119 }, false],
    [{ field: "region", op: "in", value: ["NA", "EU"] }, true],
    [{ field: "region", op: "in", value: ["NA", "APAC"] }, false],
    [{ field: "country", op: "not_in", value: ["RU", "KP"] }, true],
    [{ field: "country", op: "not_in", value: ["RU", "DE"] }, false],
    [{ field: "budget", op: "exists" }, true],
    [{ field: "budget", op: "=", value: true }, true],
    [{ field: "budget", op: "=", value: false }, false],
  ])("%o → %s", (rule, expected) => {
    expect(holds(rule)).toBe(expected);
  });
});

describe("evaluateDefinition: values", () => {
  it("compares numeric strings as numbers", () => {
    expect(holds({ field: "employees_text", op: ">=", value: 50 })).toBe(true);
    expect(holds({ field: "employees_text", op: ">", value: "9" })).toBe(true); // not "50" < "9"
    expect(holds({ field: "employees_text", op: "=", value: "50.0" })).toBe(true);
    expect(holds({ field: "employees", op: "in", value: ["120", 200] })).toBe(true);
  });

  it("compares text case-insensitively and trimmed, in lists too", () => {
    expect(holds({ field: "region", op: "in", value: ["na", " eu "] })).toBe(true);
    expect(holds({ field: "region", op: "not_in", value: ["eu"] })).toBe(false);
    expect(holds({ field: "title", op: "!=", value: "head of marketing" })).toBe(false);
  });

  it("orders dates written as text, but not text against numbers", () => {
    expect(holds({ field: "signup", op: ">=", value: "2026-01-01" })).toBe(true);
    expect(holds({ field: "signup", op: "<", value: "2026-01-01" })).toBe(false);
    expect(holds({ field: "industry", op: ">", value: 5 })).toBe(false);
    expect(holds({ field: "industry", op: "<", value: 5 })).toBe(false);
  });

  it("offers title, company and email_domain (lowercased) as fields", () => {
    expect(holds({ field: "email_domain", op: "=", value: "acme.de" })).toBe(true);
    expect(holds({ field: "email_domain", op: "not_in", value: ["gmail.com", "yahoo.com"] })).toBe(
      true,
    );
    expect(holds({ field: "company", op: "=", value: "ACME GMBH" })).toBe(true);
    expect(holds({ field: "title", op: "exists" })).toBe(true);
  });

  it("looks fields up case-insensitively but never on the prototype", () => {
    expect(holds({ field: "Employees", op: ">=", value: 50 })).toBe(true);
    const result = evaluateDefinition({ all: [{ field: "constructor", op: "exists" }] }, lead);
    expect(result.failed[0]?.reason).toBe("missing");
  });
});

describe("evaluateDefinition: failures", () => {
  it("reports missing fields (absent, null, empty) as missing, for every operator", () => {
    const doc: RuleDocument = {
      all: [
        { field: "revenue", op: ">=", value: 1 },
        { field: "phone", op: "exists" },
        { field: "notes", op: "!=", value: "x" },
        { field: "seats", op: "not_in", value: [0] },
      ],
    };
    const result = evaluateDefinition(doc, lead);
    expect(result.status).toBe("not_met");
    expect(result.failed.map((f) => [f.text, f.reason])).toEqual([
      ["revenue >= 1", "missing"],
      ["phone exists", "missing"],
      ["notes != x", "missing"],
      ["seats not_in 0", "missing"],
    ]);
    expect(result.failed.every((f) => f.actual === undefined)).toBe(true);
  });

  it("reports a failed rule with its text and the actual value", () => {
    const rule: Rule = { field: "employees", op: ">=", value: 500 };
    const result = evaluateDefinition(
      { all: [rule, { field: "region", op: "in", value: ["EU"] }] },
      lead,
    );
    expect(result).toEqual({
      status: "not_met",
      failed: [{ rule, text: "employees >= 500", reason: "failed", actual: 120 }],
    });
  });

  it("treats a missing email domain as missing", () => {
    const noDomain: LeadFacts = { ...lead, email: "jane" };
    expect(
      evaluateDefinition({ all: [{ field: "email_domain", op: "exists" }] }, noDomain),
    ).toMatchObject({ status: "not_met", failed: [{ reason: "missing" }] });
  });

  it("is met when every rule holds", () => {
    const { document } = parseOk("employees >= 50\nregion in NA, EU\nbudget exists");
    expect(evaluateDefinition(document, lead)).toEqual({ status: "met", failed: [] });
  });
});

function parseOk(text: string): { document: RuleDocument } {
  const result = parseRuleText(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

function parseErrors(text: string): { line: number; message: string }[] {
  const result = parseRuleText(text);
  if (result.ok) throw new Error(`expected errors for ${JSON.stringify(text)}`);
  return result.errors;
}

describe("parseRuleText", () => {
  it("parses the documented forms", () => {
    const text = [
      "# agreed with sales on 2026-11-16",
      "employees >= 50",
      "",
      "region in NA, EU",
      "country not_in RU, KP",
      "budget exists",
      "industry = Software",
      "title != Student",
      "active = true",
      "score<=7.5",
    ].join("\n");
    expect(parseOk(text).document).toEqual({
      all: [
        { field: "employees", op: ">=", value: 50 },
        { field: "region", op: "in", value: ["NA", "EU"] },
        { field: "country", op: "not_in", value: ["RU", "KP"] },
        { field: "budget", op: "exists" },
        { field: "industry", op: "=", value: "Software" },
        { field: "title", op: "!=", value: "Student" },
        { field: "active", op: "=", value: true },
        { field: "score", op: "<=", value: 7.5 },
      ],
    });
  });

  it("produces documents the JSON schema accepts", () => {
    const { document } = parseOk("employees >= 50\nregion in NA, 7, EU\nbudget exists");
    expect(ruleDocumentSchema.parse(document)).toEqual(document);
  });

  it("reads quoted values as text", () => {
    expect(parseOk('zip in "01234", "Acme, Inc"\nname = "say \\"hi\\""').document.all).toEqual([
      { field: "zip", op: "in", value: ["01234", "Acme, Inc"] },
      { field: "name", op: "=", value: 'say "hi"' },
    ]);
  });

  it("reports every bad line with its number and reason", () => {
    const text = [
      "employees >= 50", // 1 fine
      "region like EU", // 2
      "employees >=", // 3
      "budget exists yes", // 4
      "region in , ,", // 5
      "first name = Jane", // 6: "first" then unknown operator "name"
      "e$mployees > 3", // 7
      ">= 50", // 8
      "employees", // 9
      "active > true", // 10
      'name = "Jane', // 11
      "# fine", // 12
    ].join("\n");
    const errors = parseErrors(text);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const messages = errors.map((e) => e.message);
    expect(messages[0]).toMatch(/Unknown operator "like"/);
    expect(messages[1]).toMatch(/Missing value after >=/);
    expect(messages[2]).toMatch(/exists takes no value/);
    expect(messages[3]).toMatch(/Empty list/);
    expect(messages[4]).toMatch(/Unknown operator "name"/);
    expect(messages[5]).toMatch(/Bad field name "e\$mployees"/);
    expect(messages[6]).toMatch(/Missing field name/);
    expect(messages[7]).toMatch(/Missing operator/);
    expect(messages[8]).toMatch(/not true\/false/);
    expect(messages[9]).toMatch(/Bad quoted value/);
  });

  it("reports a missing list as a missing value", () => {
    expect(parseErrors("region in")).toEqual([
      { line: 1, message: expect.stringMatching(/Missing value after in/) },
    ]);
  });

  it("refuses a text without rules", () => {
    expect(parseErrors("")).toEqual([{ line: 1, message: expect.stringMatching(/No rules/) }]);
    expect(parseErrors("# only a comment\n\n")).toHaveLength(1);
  });

  it("counts lines with Windows line endings", () => {
    expect(parseErrors("employees >= 50\r\nregion ~ EU")).toEqual([
      { line: 2, message: expect.stringMatching(/Unknown operator "~"/) },
    ]);
  });
});

describe("formatRule / formatRuleText", () => {
  it("writes one rule per line", () => {
    expect(formatRule({ field: "region", op: "in", value: ["NA", "EU"] })).toBe("region in NA, EU");
    expect(formatRule({ field: "budget", op: "exists" })).toBe("budget exists");
    expect(formatRule({ field: "zip", op: "=", value: "01234" })).toBe('zip = "01234"');
  });

  it("round-trips with parseRuleText", () => {
    const doc: RuleDocument = {
      all: [
        { field: "employees", op: ">=", value: 50 },
        { field: "region", op: "in", value: ["NA", "EU", 7] },
        { field: "country", op: "not_in", value: ["RU", "KP"] },
        { field: "budget", op: "exists" },
        { field: "industry", op: "=", value: "Software, SaaS" },
        { field: "crm.stage", op: "!=", value: false },
        { field: "zip", op: "in", value: ["01234", "a, b", " padded ", "true", 'quote " inside'] },
        { field: "line-note", op: "=", value: "two\nlines" },
        { field: "ratio", op: "<", value: -0.25 },
        { field: "code", op: "=", value: "123" },
      ],
    };
    expect(ruleDocumentSchema.parse(doc)).toEqual(doc);
    const text = formatRuleText(doc);
    expect(text.split("\n")).toHaveLength(doc.all.length);
    expect(parseOk(text).document).toEqual(doc);
  });
});

describe("ruleSchema", () => {
  it("accepts well-formed rules", () => {
    expect(ruleSchema.safeParse({ field: "employees", op: ">=", value: 50 }).success).toBe(true);
    expect(ruleSchema.safeParse({ field: "region", op: "in", value: ["NA"] }).success).toBe(true);
    expect(ruleSchema.safeParse({ field: "budget", op: "exists" }).success).toBe(true);
  });

  it.each([
    { field: "region", op: "in", value: [] },
    { field: "region", op: "in", value: "NA" },
    { field: "budget", op: "exists", value: true },
    { field: "employees", op: ">=", value: [50] },
    { field: "employees", op: ">", value: true },
    { field: "employees", op: "=" },
    { field: "employees", op: "~", value: 1 },
    { field: "first name", op: "=", value: "x" },
    { field: "", op: "exists" },
  ])("refuses %o", (rule) => {
    expect(ruleSchema.safeParse(rule).success).toBe(false);
  });

  it("needs at least one rule in a document", () => {
    expect(ruleDocumentSchema.safeParse({ all: [] }).success).toBe(false);
  });
});
