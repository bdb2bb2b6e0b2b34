import { describe, expect, it } from "vitest";
import { leadfitLeads } from "../../../src/imports/formats/leadfit-leads.ts";

describe("leadfitLeads", () => {
  it("maps a row to the API's lead, empty optional cells as null, other columns as fields", () => {
    const cells = new Map([
      ["external_id", "L1"],
      ["email", "a@b.co"],
      ["name", ""],
      ["created_at", "2026-11-16T09:00:00Z"],
      ["region", "EMEA"],
      ["employees", ""],
    ]);
    expect(leadfitLeads.toInput(cells)).toEqual({
      externalId: "L1",
      email: "a@b.co",
      name: null,
      company: null,
      title: null,
      campaign: null,
      owner: null,
      createdAt: "2026-11-16T09:00:00Z",
      fields: { region: "EMEA" },
    });
  });

  it("names the column a schema issue is about", () => {
    expect(leadfitLeads.column(["externalId"])).toBe("external_id");
    expect(leadfitLeads.column(["fields", "region"])).toBe("region");
    expect(leadfitLeads.column([])).toBe("(row)");
  });
});
