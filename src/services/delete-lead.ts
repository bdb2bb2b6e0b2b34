import { type RepositorySource, transaction } from "../db/repositories/index.ts";
import { AppError, isAppError } from "../domain/app-error.ts";
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

/**
 * Deletes a lead's data in one transaction (the lead, its verdicts, its queued cards and webhook
 * deliveries), then empties its card in Slack. The data is gone even when Slack refuses the card
 * update; the answer then says which message to remove by hand.
 */
export async function deleteLead(
  deps: { db: RepositorySource; gateway: () => Promise<SlackGateway> },
  input: { workspaceId: string; externalId: string },
): Promise<DeletedLead> {
  const deleted = await transaction(deps.db, (repos) =>
    repos.leads.deleteWithHistory(input.workspaceId, input.externalId),
  );
  if (!deleted) {
    throw new AppError(
      "lead_not_found",
      `no lead ${input.externalId} in ${input.workspaceId}`,
      `No lead has the external id "${input.externalId}" in this workspace.`,
    );
  }
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
