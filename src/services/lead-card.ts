import type { Repositories } from "../db/repositories/index.ts";
import type { Lead } from "../domain/lead.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import {
  type LeadCardInput,
  leadCardBlocks,
  leadCardText,
} from "../presentation/slack/lead-card.ts";

/** What a lead's card shows now: the lead, its campaign and its current verdict. */
export async function leadCardInput(
  { repos }: { repos: Repositories },
  { lead }: { lead: Lead },
): Promise<LeadCardInput> {
  const [current, campaign] = await Promise.all([
    repos.feedback.current(lead.workspaceId, lead.id),
    lead.campaignKey ? repos.campaigns.findByKey(lead.workspaceId, lead.campaignKey) : undefined,
  ]);
  // Only "not a fit" has reasons to label: most cards skip the taxonomy query.
  const reasons = current?.reasons.length
    ? await repos.reasons.list(lead.workspaceId, { includeRetired: true })
    : [];
  const labelOf = new Map(reasons.map((r) => [r.key, r.label]));
  return {
    lead,
    campaignName: campaign?.name ?? lead.campaignKey,
    current: current
      ? { feedback: current, reasonLabels: current.reasons.map((r) => labelOf.get(r) ?? r) }
      : null,
  };
}

/** Updates the lead's card in place, wherever it was posted; a lead without a card is left alone. */
export async function refreshLeadCard(
  { repos, gateway }: { repos: Repositories; gateway: SlackGateway },
  { workspaceId, leadId }: { workspaceId: string; leadId: string },
): Promise<void> {
  const lead = await repos.leads.get(workspaceId, leadId);
  if (!lead?.card) return;
  const input = await leadCardInput({ repos }, { lead });
  await gateway.updateMessage(lead.card.channelId, lead.card.ts, {
    text: leadCardText(input),
    blocks: leadCardBlocks(input),
  });
}
