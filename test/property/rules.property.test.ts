import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  evaluateDefinition,
  formatRule,
  formatRuleText,
  type LeadFacts,
  parseRuleText,
  type Rule,
  ruleDocumentSchema,
} from "../../src/domain/definition-rules.ts";
import {
  anyText,
  rule,
  ruleDocument,
  ruleField,
  ruleNumber,
  ruleTextValue,
} from "./arbitraries.ts";

// The agreed definition's text form (one rule per line): parsing never throws, what it accepts is
// a valid document, formatting and parsing again gives the same rules back, and every bad line is
// reported by its number.

const LINE_BREAK = /\r\n|\r|\n/;
const lineBreak = fc.constantFrom("\n", "\r\n", "\r");

/** Lines the parser must refuse, whatever surrounds them. */
const badLine: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "employees >>= 5",
    "employees =< 5",
    "region in",
    "region in , ,",
    "region not_in",
    "title exists now",
    "bad field! = 1",
    "= 5",
    "!= x",
    'industry = "unterminated',
    'industry = ""',
    "industry ~ software",
    "employees > true",
    "employees <= FALSE",
    "industry",
    `${"a".repeat(101)} = 1`,
    "employees equals 5",
    'region in NA, ""',
  ),
  fc
    .tuple(ruleField, fc.constantFrom("==", "<>", "=>", "like", "IS", "contains"), ruleTextValue)
    .map(([field, op, value]) => `${field} ${op} ${JSON.stringify(value)}`),
);

/** Lines the parser skips. */
const skippedLine = fc.oneof(
  fc.constantFrom("", "   ", "\t", "# a comment", "  # indented comment", "#employees >= 50"),
  anyText(20).map((t) => `# ${t.replace(/[\r\n]/g, " ")}`),
);

/**
 * A document as typed: valid rule lines, skipped lines and bad lines. One kind of line break per
 * document: "\r" then an empty line then "\n" would read as a single "\r\n".
 */
const typedDocument = fc
  .array(
    fc.oneof(
      {
        weight: 3,
        arbitrary: rule.map((r) => ({ kind: "rule" as const, text: formatRule(r), rule: r })),
      },
      { weight: 1, arbitrary: skippedLine.map((text) => ({ kind: "skip" as const, text })) },
      { weight: 1, arbitrary: badLine.map((text) => ({ kind: "bad" as const, text })) },
    ),
    { maxLength: 10 },
  )
  .chain((lines) => lineBreak.map((br) => ({ lines, text: lines.map((l) => l.text).join(br) })));

const anyTypedText = fc.oneof(
  typedDocument.map((d) => d.text),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc
    .array(fc.oneof(anyText(40), ruleTextValue), { maxLength: 6 })
    .chain((parts) => lineBreak.map((br) => parts.join(br))),
);

describe("the agreed definition's rule text", () => {
  it("parses any text without throwing: a valid document, or errors on existing lines with messages", () => {
    fc.assert(
      fc.property(anyTypedText, (text) => {
        const result = parseRuleText(text);
        if (result.ok) {
          expect(ruleDocumentSchema.safeParse(result.document).success).toBe(true);
          return;
        }
        const lines = text.split(LINE_BREAK).length;
        expect(result.errors.length).toBeGreaterThan(0);
        const numbers = result.errors.map((e) => e.line);
        // One error per line, in the order of the lines.
        expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
        for (const error of result.errors) {
          expect(error.line).toBeGreaterThanOrEqual(1);
          expect(error.line).toBeLessThanOrEqual(lines);
          expect(error.message.trim()).not.toBe("");
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("gives back the same rules when a valid document is formatted and parsed again", () => {
    fc.assert(
      fc.property(ruleDocument, (doc) => {
        expect(ruleDocumentSchema.safeParse(doc).success).toBe(true);
        const text = formatRuleText(doc);
        expect(text.split(LINE_BREAK)).toHaveLength(doc.all.length);
        expect(parseRuleText(text)).toEqual({ ok: true, document: doc });
      }),
      { numRuns: 1000 },
    );
  });

  it("formats whatever it accepts into text that parses to the same rules", () => {
    fc.assert(
      fc.property(anyTypedText, (text) => {
        const first = parseRuleText(text);
        if (!first.ok) return;
        expect(parseRuleText(formatRuleText(first.document))).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it("reports exactly the bad lines, by their numbers, and keeps the good rules in order", () => {
    fc.assert(
      fc.property(typedDocument, ({ lines, text }) => {
        const result = parseRuleText(text);
        const bad = lines.flatMap((l, i) => (l.kind === "bad" ? [i + 1] : []));
        const rules = lines.flatMap((l) => (l.kind === "rule" ? [l.rule] : []));
        if (bad.length > 0) {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.errors.map((e) => e.line)).toEqual(bad);
        } else if (rules.length > 0) {
          expect(result).toEqual({ ok: true, document: { all: rules } });
        } else {
          expect(result).toEqual({
            ok: false,
            errors: [{ line: 1, message: expect.stringContaining("No rules") }],
          });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("checks any lead against any valid document without throwing, naming each failed rule as written", () => {
    const fieldValue = fc.oneof(ruleTextValue, ruleNumber, fc.boolean(), fc.constant(null));
    const facts: fc.Arbitrary<LeadFacts> = fc.record({
      fields: fc.dictionary(
        fc.oneof(ruleField, fc.constantFrom("constructor", "__proto__")),
        fieldValue,
        {
          maxKeys: 6,
        },
      ),
      title: fc.option(ruleTextValue, { nil: null }),
      company: fc.option(ruleTextValue, { nil: null }),
      email: fc.oneof(anyText(30), fc.constant("ann@Acme.example")),
    });
    fc.assert(
      fc.property(ruleDocument, facts, (doc, lead) => {
        const result = evaluateDefinition(doc, lead);
        expect(result.status).toBe(result.failed.length === 0 ? "met" : "not_met");
        // Failures come in the document's order, each with its rule's own line.
        const rules: readonly Rule[] = doc.all;
        const positions = result.failed.map((f) => rules.indexOf(f.rule));
        expect(positions.every((p) => p >= 0)).toBe(true);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        for (const failure of result.failed) expect(failure.text).toBe(formatRule(failure.rule));
      }),
      { numRuns: 1000 },
    );
  });
});
