import { evaluateDefinition, type LeadFacts, type RuleDocument } from "./definition-rules.ts";
import type { DefinitionCheck } from "./lead.ts";

export type AgreedDefinitionState = "proposed" | "active" | "superseded" | "declined";

/** One version of the lead definition both teams agreed on (or are asked to agree on). */
export interface AgreedDefinition {
  version: number;
  rules: RuleDocument;
  state: AgreedDefinitionState;
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/**
 * Who may accept a proposal: someone on the other team than the proposer; when the teams are not
 * set, anyone but the proposer.
 */
export function canDecide(
  proposedBy: string,
  userId: string,
  teams: { salesTeam: readonly string[]; marketingTeam: readonly string[] },
): boolean {
  if (userId === proposedBy) return false;
  const inSales = (id: string) => teams.salesTeam.includes(id);
  const inMarketing = (id: string) => teams.marketingTeam.includes(id);
  if (teams.salesTeam.length === 0 && teams.marketingTeam.length === 0) return true;
  if (inSales(proposedBy)) return inMarketing(userId);
  if (inMarketing(proposedBy)) return inSales(userId);
  // A proposer on neither team: anyone on either team can agree.
  return inSales(userId) || inMarketing(userId);
}

/** A lead checked against the active definition; "unknown" when no definition is active. */
export function checkLead(
  definition: AgreedDefinition | undefined,
  lead: LeadFacts,
): DefinitionCheck {
  if (!definition) return { status: "unknown", failures: [], version: null };
  const result = evaluateDefinition(definition.rules, lead);
  return {
    status: result.status,
    failures: result.failed.map((f) => ({ text: f.text, reason: f.reason })),
    version: definition.version,
  };
}
