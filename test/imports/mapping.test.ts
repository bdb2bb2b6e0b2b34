import { describe, expect, it } from "vitest";
import { importMappingSchema } from "../../src/imports/mapping.ts";

const mapping = {
  name: "crm-export",
  label: "CRM export",
  kind: "leads",
  columns: { externalId: ["ID"], email: ["E-mail"] },
};

describe("a mapping file's fields", () => {
  it("refuses a field name that is not letters, digits, _ . -, saying what a name may be", () => {
    const parsed = importMappingSchema.safeParse({
      ...mapping,
      fields: { "deal size": ["Deal size"], employees: ["Employees"] },
    });
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["fields.deal size", "Field names use letters, digits, _ . -"],
    ]);
  });

  it("takes fields named as leads' fields are", () => {
    const parsed = importMappingSchema.parse({ ...mapping, fields: { "deal_size.eur": ["Deal"] } });
    expect(Object.keys(parsed.fields)).toEqual(["deal_size.eur"]);
  });
});
