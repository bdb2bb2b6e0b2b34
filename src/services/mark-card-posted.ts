import { type RepositorySource, transaction } from "../db/repositories/index.ts";

/**
 * A card of the outbox is in Slack: the lead remembers where (so verdicts update it in place) and
 * the item is marked sent, both or neither.
 */
export function markCardPosted(
  deps: { db: RepositorySource; now: () => Date },
  input: {
    itemId: bigint;
    kind: string;
    workspaceId: string;
    leadId: string | null;
    channelId: string;
    ts: string;
  },
): Promise<void> {
  return transaction(deps.db, async (repos) => {
    // A lead's card is its newest one: a lead back from not yet is judged (and updated) there.
    if ((input.kind === "lead_card" || input.kind === "lead_back") && input.leadId)
      await repos.leads.setCard(input.workspaceId, input.leadId, {
        channelId: input.channelId,
        ts: input.ts,
      });
    await repos.outbox.markSent(input.itemId, deps.now(), input.ts);
  });
}
