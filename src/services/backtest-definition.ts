import type { HindsightRepository } from "../db/repositories/hindsight-repository.ts";
import {
  addToBacktest,
  BACKTEST_DAYS,
  type DefinitionBacktest,
  emptyBacktest,
} from "../domain/definition-backtest.ts";
import type { RuleDocument } from "../domain/definition-rules.ts";

/** Leads read at a time: a workspace's half year of leads never sits in memory at once. */
export const BACKTEST_PAGE_SIZE = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What a proposed definition would have done to the leads created in the last 180 days, compared
 * with the active one: how many it would have kept out or let in, and what became of them.
 */
export async function backtestDefinition(
  deps: { repos: { hindsight: Pick<HindsightRepository, "backtestLeads"> } },
  input: {
    workspaceId: string;
    active: RuleDocument | undefined;
    proposed: RuleDocument;
    now: Date;
  },
): Promise<DefinitionBacktest> {
  const rules = { active: input.active, proposed: input.proposed };
  const from = new Date(input.now.getTime() - BACKTEST_DAYS * DAY_MS);
  let backtest = emptyBacktest(BACKTEST_DAYS);
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const page = await deps.repos.hindsight.backtestLeads({
      workspaceId: input.workspaceId,
      from,
      to: input.now,
      after,
      limit: BACKTEST_PAGE_SIZE,
    });
    backtest = addToBacktest(backtest, rules, page);
    const last = page.at(-1);
    if (!last || page.length < BACKTEST_PAGE_SIZE) return backtest;
    after = { createdAt: last.createdAt, id: last.id };
  }
}
