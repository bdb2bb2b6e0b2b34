import { evaluateDefinition, type LeadFacts, type RuleDocument } from "./definition-rules.ts";

// A proposed change to the agreed definition, tried on the leads of the last days before anyone
// accepts it: which leads it would have kept out or let in compared with the active version, and
// what later became of those leads (their outcomes, as in hindsight).

/** How far back a proposal is tried: leads created in the last 180 days. */
export const BACKTEST_DAYS = 180;

/** A lead as the backtest sees it: the facts the rules read, and what became of it. */
export interface BacktestLead extends LeadFacts {
  reachedOpportunity: boolean;
  won: boolean;
  wonAmount: number;
}

/** Leads and what became of them. */
export interface BacktestShare {
  leads: number;
  reachedOpportunity: number;
  won: number;
  wonAmount: number;
}

export interface DefinitionBacktest {
  days: number;
  /** Leads created in those days. */
  leads: number;
  /** Leads meeting the active version (all of them when none is active) and the proposed one. */
  metBefore: number;
  metAfter: number;
  /** Leads the active version let through that the proposed one would have kept out. */
  excluded: BacktestShare;
  /** Leads the active version kept out that the proposed one would have let through. */
  included: BacktestShare;
}

const NO_LEADS: BacktestShare = { leads: 0, reachedOpportunity: 0, won: 0, wonAmount: 0 };

export function emptyBacktest(days: number = BACKTEST_DAYS): DefinitionBacktest {
  return { days, leads: 0, metBefore: 0, metAfter: 0, excluded: NO_LEADS, included: NO_LEADS };
}

function withLead(share: BacktestShare, lead: BacktestLead): BacktestShare {
  return {
    leads: share.leads + 1,
    reachedOpportunity: share.reachedOpportunity + (lead.reachedOpportunity ? 1 : 0),
    won: share.won + (lead.won ? 1 : 0),
    wonAmount: share.wonAmount + (lead.won ? lead.wonAmount : 0),
  };
}

/**
 * The backtest so far with more leads added: each lead checked against the active rules (none
 * active: every lead counts as meeting them, since nothing kept any out) and the proposed rules.
 */
export function addToBacktest(
  backtest: DefinitionBacktest,
  rules: { active: RuleDocument | undefined; proposed: RuleDocument },
  leads: readonly BacktestLead[],
): DefinitionBacktest {
  let { leads: count, metBefore, metAfter, excluded, included } = backtest;
  for (const lead of leads) {
    const before = rules.active ? evaluateDefinition(rules.active, lead).status === "met" : true;
    const after = evaluateDefinition(rules.proposed, lead).status === "met";
    count += 1;
    if (before) metBefore += 1;
    if (after) metAfter += 1;
    if (before && !after) excluded = withLead(excluded, lead);
    if (!before && after) included = withLead(included, lead);
  }
  return { days: backtest.days, leads: count, metBefore, metAfter, excluded, included };
}
