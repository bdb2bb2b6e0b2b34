import { type RepositorySource, transaction } from "../db/repositories/index.ts";
import { AppError, isAppError } from "../domain/app-error.ts";
import type { CrmKind } from "../domain/crm-connection.ts";
import { type SlackGateway, slackErrorCode } from "../outbound/slack/gateway.ts";
import { deletedLeadCard } from "../presentation/slack/lead-card.ts";
import { plural } from "../presentation/slack/text.ts";

export interface DeletedLead {
  verdicts: number;
  deliveries: number;
  /** What was deleted, in a sentence for the person who asked. */
  summary: string;
  /** Where its card was, if it had one; `scrubbed` says whether the message was emptied. */
  card: { channelId: string; ts: string; scrubbed: boolean; problem: string | null } | null;
}

export interface DeleteLeadDeps {
  db: RepositorySource;
  gateway: () => Promise<Pick<SlackGateway, "updateMessage">>;
}

export interface LeadToDelete {
  workspaceId: string;
  externalId: string;
  /** Who asked, for the audit log: `cli`, or the CRM's privacy deletion. */
  actor: string;
  /**
   * The CRM that erased the record, when it asked: recorded even without a lead, so a sync's page
   * read before the erasure never stores it again. A synced lead deleted by hand is recorded too.
   */
  erasedFrom?: CrmKind;
}

/**
 * Deletes a lead's data in one transaction (the lead, its verdicts and outcomes, its queued cards
 * and webhook deliveries), audited with who asked, then empties its card in Slack. The data is
 * gone even when Slack refuses the card update; the answer then says which message to remove by
 * hand. A lead the workspace does not have is refused (lead_not_found).
 */
export async function deleteLead(deps: DeleteLeadDeps, input: LeadToDelete): Promise<DeletedLead> {
  const deleted = await eraseLead(deps, input);
  if (deleted) return deleted;
  throw new AppError(
    "lead_not_found",
    `no lead ${input.externalId} in ${input.workspaceId}`,
    `No lead has the external id "${input.externalId}" in this workspace.`,
  );
}

/**
 * The same deletion for a request that may name a person Leadfit never had as a lead, or has
 * deleted already (a CRM's privacy deletion, sent again): undefined then.
 */
export async function eraseLead(
  deps: DeleteLeadDeps,
  input: LeadToDelete,
): Promise<DeletedLead | undefined> {
  const deleted = await transaction(deps.db, (repos) =>
    repos.leads.deleteOnRequest(input.workspaceId, input),
  );
  if (!deleted) return undefined;
  const { card, verdicts, deliveries } = deleted;
  const counts = {
    verdicts,
    deliveries,
    summary: `Deleted lead ${input.externalId} with ${plural(verdicts, "verdict")} and ${plural(deliveries, "webhook delivery", "webhook deliveries")}.`,
  };
  if (!card) return { ...counts, card: null };
  try {
    await (await deps.gateway()).updateMessage(card.channelId, card.ts, deletedLeadCard());
    return { ...counts, card: { ...card, scrubbed: true, problem: null } };
  } catch (error) {
    const problem =
      slackErrorCode(error) ?? (isAppError(error) ? error.userMessage : String(error));
    return { ...counts, card: { ...card, scrubbed: false, problem } };
  }
}
