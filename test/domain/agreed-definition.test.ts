import { describe, expect, it } from "vitest";
import { type AgreedDefinition, canDecide, checkLead } from "../../src/domain/agreed-definition.ts";
import { parseRuleText } from "../../src/domain/definition-rules.ts";

const SALES = "U0SALES001";
const SALES_TOO = "U0SALES002";
const MARKETER = "U0MKT00001";
const OUTSIDER = "U0OTHER001";
const teams = { salesTeam: [SALES, SALES_TOO], marketingTeam: [MARKETER] };
const noTeams = { salesTeam: [], marketingTeam: [] };

describe("who may decide on a proposed definition", () => {
  it("never the proposer, with or without teams", () => {
    expect(canDecide(SALES, SALES, teams)).toBe(false);
    expect(canDecide(OUTSIDER, OUTSIDER, noTeams)).toBe(false);
  });

  it("anyone else when no team is set", () => {
    expect(canDecide(SALES, OUTSIDER, noTeams)).toBe(true);
  });

  it("only the other team when the proposer is on one", () => {
    expect(canDecide(SALES, MARKETER, teams)).toBe(true);
    expect(canDecide(SALES, SALES_TOO, teams)).toBe(false);
    expect(canDecide(SALES, OUTSIDER, teams)).toBe(false);
    expect(canDecide(MARKETER, SALES, teams)).toBe(true);
    expect(canDecide(MARKETER, OUTSIDER, teams)).toBe(false);
  });

  it("anyone on either team when the proposer is on neither", () => {
    expect(canDecide(OUTSIDER, SALES, teams)).toBe(true);
    expect(canDecide(OUTSIDER, MARKETER, teams)).toBe(true);
    expect(canDecide(OUTSIDER, "U0OTHER002", teams)).toBe(false);
  });
});

describe("a lead checked against the active definition", () => {
  const parsed = parseRuleText("employees >= 50\nregion in NA, EU");
  if (!parsed.ok) throw new Error("the rule text was refused");
  const definition: AgreedDefinition = {
    version: 3,
    rules: parsed.document,
    state: "active",
    proposedBy: MARKETER,
    proposedAt: new Date("2026-03-01T00:00:00Z"),
    decidedBy: SALES,
    decidedAt: new Date("2026-03-02T00:00:00Z"),
  };
  const lead = (fields: Record<string, string | number>) => ({
    fields,
    title: null,
    company: null,
    email: "ann@acme.example",
  });

  it("is unknown, with no version, when no definition is active", () => {
    expect(checkLead(undefined, lead({ employees: 10 }))).toEqual({
      status: "unknown",
      failures: [],
      version: null,
    });
  });

  it("meets it, naming the version that checked it", () => {
    expect(checkLead(definition, lead({ employees: 50, region: "EU" }))).toEqual({
      status: "met",
      failures: [],
      version: 3,
    });
  });

  it("fails it with each rule it failed or lacked the field for", () => {
    expect(checkLead(definition, lead({ employees: 49 }))).toEqual({
      status: "not_met",
      failures: [
        { text: "employees >= 50", reason: "failed" },
        { text: "region in NA, EU", reason: "missing" },
      ],
      version: 3,
    });
  });
});
