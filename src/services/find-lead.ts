import type { PlainTextOption } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import type { Lead } from "../domain/lead.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { leadOptions } from "../presentation/slack/feedback-modal.ts";
import { noLeadMatches, otherMatchesNote } from "../presentation/slack/help.ts";
import type { Message } from "../presentation/slack/message.ts";
import { openFeedbackModal } from "./open-feedback-modal.ts";

export interface LeadMatch {
  lead: Lead;
  /** Other leads with the same email (the newest one is shown). */
  others: number;
}

/** `/leadfit <text>`: a CRM external id, else an email (the newest lead with it), else nothing. */
export async function findLead(
  deps: { repos: Pick<Repositories, "leads"> },
  input: { workspaceId: string; text: string },
): Promise<LeadMatch | undefined> {
  const query = input.text.trim();
  if (!query) return undefined;
  // One query for both: whoever typed the command is waiting for the modal.
  const matches = await deps.repos.leads.findByExternalIdOrEmail(input.workspaceId, query);
  const byId = matches.find((lead) => lead.externalId === query);
  if (byId) return { lead: byId, others: 0 };
  // None matched by its CRM id, so every one matched by its email.
  const [newest, ...rest] = matches;
  return newest ? { lead: newest, others: rest.length } : undefined;
}

/**
 * `/leadfit <email or id>`: the feedback modal for the lead the text names, once per request (a
 * repeat opens none), and what to tell the person besides: that no lead matches, or that other
 * leads share the email.
 */
export async function openFeedbackModalForText(
  deps: { repos: Repositories; gateway: SlackGateway; now: () => Date },
  input: {
    workspaceId: string;
    text: string;
    triggerId: string;
    requestKey: string;
    channelId: string;
  },
): Promise<{ repeat: boolean; answer: Message | { text: string } | undefined }> {
  const { text, ...request } = input;
  const match = await findLead(deps, { workspaceId: input.workspaceId, text });
  if (!match) return { repeat: false, answer: noLeadMatches(text) };
  const opened = await openFeedbackModal(deps, { ...request, lead: match.lead });
  if (!opened) return { repeat: true, answer: undefined };
  return {
    repeat: false,
    answer:
      match.others > 0 ? { text: otherMatchesNote(match.others, match.lead.email) } : undefined,
  };
}

export const LEAD_SEARCH_LIMIT = 20;

/** Options for the lead picker: name, email, company or CRM id containing the query. */
export async function searchLeads(
  deps: { repos: Pick<Repositories, "leads"> },
  input: { workspaceId: string; query: string },
): Promise<PlainTextOption[]> {
  const leads = await deps.repos.leads.search(
    input.workspaceId,
    input.query.trim(),
    LEAD_SEARCH_LIMIT,
  );
  return leadOptions(
    leads.map((l) => ({
      id: l.id,
      label: [l.name ?? l.email, l.company].filter(Boolean).join(" · "),
    })),
  );
}
