import { describe, expect, it } from "vitest";
import {
  addToBacktest,
  type BacktestLead,
  emptyBacktest,
} from "../../src/domain/definition-backtest.ts";
import type { RuleDocument } from "../../src/domain/definition-rules.ts";

const lead = (
  employees: number | null,
  outcome: { reached?: boolean; won?: number } = {},
): BacktestLead => ({
  fields: employees === null ? {} : { employees },
  title: null,
  company: null,
  email: "someone@acme.example",
  reachedOpportunity: outcome.reached ?? outcome.won !== undefined,
  won: outcome.won !== undefined,
  wonAmount: outcome.won ?? 0,
});

const atLeast = (employees: number): RuleDocument => ({
  all: [{ field: "employees", op: ">=", value: employees }],
});

// Six hand-made leads: 20, 40 (won $48,000), 60 (an opportunity, lost), 80 (won $5,000), 200,
// and one without the field.
const LEADS = [
  lead(20),
  lead(40, { won: 48000 }),
  lead(60, { reached: true }),
  lead(80, { won: 5000 }),
  lead(200),
  lead(null),
];

/** The backtest of the six leads at once. */
const backtestOf = (active: RuleDocument | undefined, proposed: RuleDocument) =>
  addToBacktest(emptyBacktest(), { active, proposed }, LEADS);

describe("definition backtest", () => {
  it("counts the leads a stricter rule would have kept out, and what became of them", () => {
    expect(backtestOf(atLeast(30), atLeast(70))).toEqual({
      days: 180,
      leads: 6,
      metBefore: 4,
      metAfter: 2,
      excluded: { leads: 2, reachedOpportunity: 2, won: 1, wonAmount: 48000 },
      included: { leads: 0, reachedOpportunity: 0, won: 0, wonAmount: 0 },
    });
  });

  it("counts the leads a looser rule would have let in", () => {
    const backtest = backtestOf(atLeast(70), atLeast(30));
    expect(backtest.excluded.leads).toBe(0);
    expect(backtest.included).toEqual({
      leads: 2,
      reachedOpportunity: 2,
      won: 1,
      wonAmount: 48000,
    });
  });

  it("counts every lead as let through when no definition is active", () => {
    const backtest = backtestOf(undefined, atLeast(50));
    expect(backtest.metBefore).toBe(6);
    // 20, 40 and the lead without the field: a missing field fails its rule.
    expect(backtest.excluded).toEqual({
      leads: 3,
      reachedOpportunity: 1,
      won: 1,
      wonAmount: 48000,
    });
  });

  it("adds up page by page to the same answer as all at once", () => {
    const rules = { active: atLeast(30), proposed: atLeast(70) };
    const paged = [LEADS.slice(0, 2), LEADS.slice(2, 5), LEADS.slice(5)].reduce(
      (backtest, page) => addToBacktest(backtest, rules, page),
      emptyBacktest(),
    );
    expect(paged).toEqual(backtestOf(rules.active, rules.proposed));
  });
});
