import { evaluateDefinition, type LeadFacts, type RuleDocument } from "./definition-rules.ts";
import { formatMoney } from "./figures.ts";

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

/** Exact counts ("1,240"): a backtest tells how many leads, not about how many. */
const exactCount = (n: number): string => n.toLocaleString("en-US");
const leadCount = (n: number): string => `${exactCount(n)} ${n === 1 ? "lead" : "leads"}`;

/** "40 leads: 7 reached an opportunity, 3 won ($48,000)". */
function shareText(share: BacktestShare, currency: string): string {
  if (share.leads === 0) return "no lead";
  const won = share.won > 0 ? ` (${formatMoney(share.wonAmount, currency)})` : "";
  return `${leadCount(share.leads)}: ${exactCount(share.reachedOpportunity)} reached an opportunity, ${exactCount(share.won)} won${won}`;
}

/**
 * What the proposed rules would have done to the leads of the last days, before anyone accepts:
 * a heading and plain lines, for Slack and the command line alike.
 */
export function backtestLines(
  backtest: DefinitionBacktest,
  versions: { active: number | null; proposed: number },
  currency: string,
): { heading: string; scope: string; lines: string[] } {
  const heading = `Tried on the last ${backtest.days} days' leads`;
  const scope = `(${leadCount(backtest.leads)})`;
  if (backtest.leads === 0)
    return { heading, scope, lines: ["No lead was created in those days."] };
  const before =
    versions.active === null
      ? "with no definition active, none was kept out"
      : `${exactCount(backtest.metBefore)} met version ${versions.active}`;
  return {
    heading,
    scope,
    lines: [
      `${before}; ${exactCount(backtest.metAfter)} would meet version ${versions.proposed}.`,
      `• Would have kept out ${shareText(backtest.excluded, currency)}`,
      `• Would have let in ${shareText(backtest.included, currency)}`,
    ],
  };
}
