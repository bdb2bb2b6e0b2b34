import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import { isStorableText } from "../domain/storable.ts";

/** `GET /api/v1/leads/:externalId`: the lead, its current verdict and every verdict before it. */
export async function leadWithVerdicts(
  deps: { repos: Pick<Repositories, "leads" | "feedback"> },
  input: { workspaceId: string; externalId: string },
) {
  const { workspaceId, externalId } = input;
  // No lead can have an id PostgreSQL cannot store; asking for one is a plain 404.
  const lead = isStorableText(externalId)
    ? await deps.repos.leads.findByExternalId(workspaceId, externalId)
    : undefined;
  if (!lead)
    throw new AppError("not_found", "lead not found", `No lead with externalId ${externalId}.`);
  const history = await deps.repos.feedback.history(workspaceId, lead.id);
  const verdicts = history.map(({ leadId: _leadId, ...f }) => f);
  return {
    lead: {
      externalId: lead.externalId,
      email: lead.email,
      name: lead.name,
      company: lead.company,
      title: lead.title,
      campaign: lead.campaignKey,
      owner: lead.owner,
      createdAt: lead.createdAt.toISOString(),
      fields: lead.fields,
      definition: lead.definition,
    },
    verdict: verdicts.at(-1) ?? null,
    history: verdicts,
  };
}
