import { randomUUID } from "node:crypto";
import type { Db } from "../db/db.ts";
import { CampaignRepository } from "../db/repositories/campaign-repository.ts";
import { LeadRepository } from "../db/repositories/lead-repository.ts";
import { type OutboxItem, OutboxRepository } from "../db/repositories/outbox-repository.ts";
import { type AgreedDefinition, checkLead } from "../domain/agreed-definition.ts";
import type { LeadInput as IncomingLead, UpsertCounts } from "../domain/ingest-schemas.ts";
import type { Workspace } from "../domain/workspace.ts";

/** More new leads than this in one batch or import get one summary message instead of a card each. */
export const SUMMARY_THRESHOLD = 10;

export interface IngestLeadsResult extends UpsertCounts {
  /** New leads, for a caller that batches several calls into one summary (CSV import). */
  createdIds: string[];
}

/**
 * Stores a batch of leads (already validated) inside the caller's transaction: unknown campaigns
 * are created, each lead is checked against the active agreed definition (read by the caller
 * before the transaction), new leads are queued for a card (or one summary for a bulk batch) and
 * changed leads that have a card get it updated. Only `tx` is used: on the embedded database a
 * second connection would wait for this transaction to end.
 */
export async function ingestLeads(
  tx: Db,
  input: {
    workspace: Workspace;
    definition: AgreedDefinition | undefined;
    leads: readonly IncomingLead[];
    /** When the leads arrived: the creation time of a new lead sent without one. */
    receivedAt: Date;
    queueCards?: boolean;
  },
): Promise<IngestLeadsResult> {
  const { workspace, leads, definition } = input;
  const undated = leads.filter((l) => l.createdAt === null).map((l) => l.externalId);
  // A lead sent again without its time keeps the time it was first received.
  const firstReceived =
    undated.length > 0
      ? await new LeadRepository(tx).createdAtOf(workspace.id, undated)
      : new Map<string, Date>();
  const keys = leads.map((l) => l.campaign).filter((k): k is string => k !== null);
  const campaignIds =
    keys.length > 0
      ? await new CampaignRepository(tx).ensureKeys(workspace.id, keys)
      : new Map<string, string>();
  const upserted = await new LeadRepository(tx).upsertMany(
    workspace.id,
    leads.map((lead) => ({
      externalId: lead.externalId,
      email: lead.email,
      name: lead.name,
      company: lead.company,
      title: lead.title,
      campaignId: lead.campaign ? (campaignIds.get(lead.campaign) ?? null) : null,
      owner: lead.owner,
      createdAt: lead.createdAt ?? firstReceived.get(lead.externalId) ?? input.receivedAt,
      fields: lead.fields,
      definition: checkLead(definition, lead),
    })),
  );
  const created = upserted.filter((u) => u.created);
  // Changed leads' cards are always updated; new leads' cards can be left to a caller that
  // batches a whole import into one summary.
  await new OutboxRepository(tx).enqueue(workspace.id, [
    ...((input.queueCards ?? true)
      ? newLeadCards(
          workspace,
          created.map((c) => c.id),
          campaignOf(leads, created),
        )
      : []),
    ...upserted.filter((u) => !u.created && u.hasCard).map((u) => cardUpdate(u.id)),
  ]);
  return {
    created: created.length,
    updated: upserted.length - created.length,
    unchanged: leads.length - upserted.length,
    createdIds: created.map((c) => c.id),
  };
}

/** The campaign the new leads share, for the summary message; null when they are mixed. */
function campaignOf(
  leads: readonly IncomingLead[],
  created: readonly { externalId: string }[],
): string | null {
  const ids = new Set(created.map((c) => c.externalId));
  const campaigns = new Set(leads.filter((l) => ids.has(l.externalId)).map((l) => l.campaign));
  return campaigns.size === 1 ? ([...campaigns][0] ?? null) : null;
}

/**
 * Cards for new leads: one each, or one summary when more than SUMMARY_THRESHOLD arrive together.
 * Before a sales channel is set none are queued: the leads wait on App Home. `count` is how many
 * arrived, when `leadIds` holds only the first of them (more than SUMMARY_THRESHOLD).
 */
export function newLeadCards(
  workspace: Workspace,
  leadIds: readonly string[],
  campaignKey: string | null,
  count = leadIds.length,
): OutboxItem[] {
  if (!workspace.salesChannelId || count === 0) return [];
  if (count > SUMMARY_THRESHOLD) {
    return [
      {
        dedupeKey: `summary:${randomUUID()}`,
        kind: "lead_summary",
        leadId: null,
        payload: { count, campaignKey },
      },
    ];
  }
  return leadIds.map((id) => ({
    dedupeKey: `card:${id}`,
    kind: "lead_card",
    leadId: id,
    payload: {},
  }));
}

function cardUpdate(leadId: string): OutboxItem {
  return {
    dedupeKey: `update:${leadId}:${randomUUID()}`,
    kind: "card_update",
    leadId,
    payload: {},
  };
}
