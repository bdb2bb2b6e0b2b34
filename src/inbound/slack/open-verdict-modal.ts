import type { Deps } from "../../deps.ts";
import { type Lead, leadNotFound } from "../../domain/lead.ts";
import type { Verdict } from "../../domain/verdict.ts";
import type { SlackGateway } from "../../outbound/slack/gateway.ts";
import { verdictModal } from "../../presentation/slack/verdict-modal.ts";
import { leadCardInput } from "../../services/lead-card.ts";
import { triggerRequestKey } from "./parse/request-keys.ts";
import type { VerdictModalMetadata } from "./parse/values.ts";
import { logRepeat } from "./report-error.ts";

/**
 * Opens the verdict modal for a lead, or with a lead picker when there is none yet; once per
 * trigger, so a repeat of the request that asked for it (a retry, a replay) opens none. True when
 * it opened. A lead id the workspace does not have is refused with a `lead_not_found` AppError.
 */
export async function openVerdictModal(
  deps: Deps,
  gateway: SlackGateway,
  input: {
    workspaceId: string;
    triggerId: string;
    /** The lead (or its id, to read it); none opens the modal with a lead picker. */
    lead: Lead | string | undefined;
    channelId?: string;
    initialVerdict?: Verdict;
  },
): Promise<boolean> {
  const requestKey = triggerRequestKey(input.triggerId);
  if (!(await deps.repos.slackRequests.claim(input.workspaceId, requestKey))) {
    logRepeat(deps, requestKey, "open the verdict modal");
    return false;
  }
  const reasons = await deps.repos.reasons.list(input.workspaceId);
  const lead =
    typeof input.lead === "string"
      ? await deps.repos.leads.get(input.workspaceId, input.lead)
      : input.lead;
  if (typeof input.lead === "string" && !lead) throw leadNotFound(input.workspaceId, input.lead);
  const card = lead ? await leadCardInput(deps.repos, lead) : undefined;
  const metadata: VerdictModalMetadata = { leadId: card?.lead.id, channelId: input.channelId };
  await gateway.openView(
    input.triggerId,
    verdictModal({
      lead: card?.lead ?? null,
      campaignName: card?.campaignName ?? null,
      current: card?.current?.feedback ?? null,
      reasons,
      initialVerdict: input.initialVerdict,
      privateMetadata: JSON.stringify(metadata),
    }),
  );
  return true;
}
