import type { Repositories } from "../db/repositories/index.ts";
import type { Lead } from "../domain/lead.ts";

export interface LeadMatch {
  lead: Lead;
  /** Other leads with the same email (the newest one is shown). */
  others: number;
}

/** `/leadfit <text>`: a CRM external id, else an email (the newest lead with it), else nothing. */
export async function findLead(
  repos: Repositories,
  workspaceId: string,
  text: string,
): Promise<LeadMatch | undefined> {
  const query = text.trim();
  if (!query) return undefined;
  // One query for both: whoever typed the command is waiting for the modal.
  const matches = await repos.leads.findByExternalIdOrEmail(workspaceId, query);
  const byId = matches.find((lead) => lead.externalId === query);
  if (byId) return { lead: byId, others: 0 };
  // None matched by its CRM id, so every one matched by its email.
  const [newest, ...rest] = matches;
  return newest ? { lead: newest, others: rest.length } : undefined;
}

export const LEAD_SEARCH_LIMIT = 20;

/** Options for the lead picker: name, email, company or CRM id containing the query. */
export async function searchLeads(
  repos: Repositories,
  workspaceId: string,
  query: string,
): Promise<{ id: string; label: string }[]> {
  const leads = await repos.leads.search(workspaceId, query.trim(), LEAD_SEARCH_LIMIT);
  return leads.map((l) => ({
    id: l.id,
    label: [l.name ?? l.email, l.company].filter(Boolean).join(" · "),
  }));
}
