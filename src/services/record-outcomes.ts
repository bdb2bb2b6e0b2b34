import { type Repositories, type RepositorySource, transaction } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import type { OutcomeInput, UpsertCounts } from "../domain/ingest-schemas.ts";
import { unknownLeadIssues } from "../domain/unknown-leads.ts";

/**
 * Stores what happened to leads after they arrived (opportunity, won, lost), idempotent on
 * (external id, type). A batch naming a lead the workspace does not have is refused whole, each
 * such row named: an outcome must never attach to nothing, nor to another workspace's lead.
 */
export function recordOutcomes(
  deps: { db: RepositorySource },
  input: { workspaceId: string; outcomes: readonly OutcomeInput[] },
): Promise<UpsertCounts> {
  return transaction(deps.db, (repos) => storeOutcomes({ repos }, input), { timeout: 60_000 });
}

/** Stores a batch of outcomes with repositories bound to the caller's transaction (an import's chunk). */
export async function storeOutcomes(
  { repos }: { repos: Repositories },
  input: { workspaceId: string; outcomes: readonly OutcomeInput[] },
): Promise<UpsertCounts> {
  const { workspaceId, outcomes } = input;
  const leadIds = await repos.leads.idsByExternalId(
    workspaceId,
    outcomes.map((o) => o.lead),
  );
  const unknown = unknownLeadIssues({ outcomes, leadIds, indexOf: (index) => index });
  if (unknown.length > 0)
    throw new AppError(
      "invalid_request",
      `${unknown.length} outcomes name unknown leads`,
      "The batch names leads Leadfit does not have; nothing was written.",
      { issues: unknown },
    );
  return repos.outcomes.upsert(
    workspaceId,
    outcomes.map((o) => ({
      externalId: o.externalId,
      leadId: leadIds.get(o.lead) as string,
      type: o.type,
      at: o.at,
      amount: o.amount,
    })),
  );
}
