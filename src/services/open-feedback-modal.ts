import type { Repositories } from "../db/repositories/index.ts";
import { type Lead, leadNotFound } from "../domain/lead.ts";
import { initialRevisitOn } from "../domain/revisit.ts";
import type { Verdict } from "../domain/verdict.ts";
import { dateInZone } from "../domain/week.ts";
import { workspaceTimezone } from "../domain/workspace.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { feedbackModal } from "../presentation/slack/feedback-modal.ts";
import { leadCardInput } from "./lead-card.ts";

/**
 * Opens the feedback modal for a lead, or with a lead picker when there is none yet; once per
 * request, so a repeat of the request that asked for it (a retry, a replay) opens none. True when
 * it opened, false for a repeat. A lead id the workspace does not have is refused with a
 * `lead_not_found` AppError.
 */
export async function openFeedbackModal(
  deps: { repos: Repositories; gateway: SlackGateway; now: () => Date },
  input: {
    workspaceId: string;
    triggerId: string;
    /** The request that asked for it: a repeat of it opens nothing. */
    requestKey: string;
    /** The lead (or its id, to read it); none opens the modal with a lead picker. */
    lead: Lead | string | undefined;
    channelId?: string;
    initialVerdict?: Verdict;
  },
): Promise<boolean> {
  if (!(await deps.repos.slackRequests.claim(input.workspaceId, input.requestKey))) return false;
  const [reasons, workspace] = await Promise.all([
    deps.repos.reasons.list(input.workspaceId),
    deps.repos.workspaces.get(input.workspaceId),
  ]);
  const lead =
    typeof input.lead === "string"
      ? await deps.repos.leads.get(input.workspaceId, input.lead)
      : input.lead;
  if (typeof input.lead === "string" && !lead) throw leadNotFound(input.workspaceId, input.lead);
  const card = lead ? await leadCardInput(deps, { lead }) : undefined;
  const metadata = { leadId: card?.lead.id, channelId: input.channelId };
  const current = card?.current?.feedback ?? null;
  const today = dateInZone(deps.now(), workspaceTimezone(workspace ?? { timezone: null }));
  await deps.gateway.openView(
    input.triggerId,
    feedbackModal({
      lead: card?.lead ?? null,
      campaignName: card?.campaignName ?? null,
      current,
      reasons,
      initialVerdict: input.initialVerdict,
      revisitOn: initialRevisitOn(current, today),
      privateMetadata: JSON.stringify(metadata),
    }),
  );
  return true;
}
