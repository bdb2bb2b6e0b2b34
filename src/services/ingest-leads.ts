import { randomUUID } from "node:crypto";
import type { Database } from "../db/database.ts";
import { type Repositories, transaction } from "../db/repositories/index.ts";
import type { OutboxItem } from "../db/repositories/outbox-repository.ts";
import { type AgreedDefinition, checkLead } from "../domain/agreed-definition.ts";
import type { CrmKind } from "../domain/crm-connection.ts";
import type { LeadInput as IncomingLead, UpsertCounts } from "../domain/ingest-schemas.ts";
import type { Workspace } from "../domain/workspace.ts";
import { workspaceOfKey } from "./workspace-of-key.ts";

/** More new leads than this in one batch or import get one summary message instead of a card each. */
export const SUMMARY_THRESHOLD = 10;

export interface IngestLeadsResult extends UpsertCounts {
  /** New leads, for a caller that batches several calls into one summary (CSV import). */
  createdIds: string[];
}

/**
 * `POST /api/v1/leads`: a batch of leads (already validated) stored in one transaction, checked
 * against the workspace's active agreed definition, read before the transaction starts.
 */
export async function ingestLeads(
  deps: { db: Pick<Database, "prisma" | "pool">; repos: Repositories; now: () => Date },
  input: { workspaceId: string; leads: readonly IncomingLead[] },
): Promise<UpsertCounts> {
  const workspace = await workspaceOfKey(deps, input);
  const definition = await deps.repos.agreedDefinitions.active(workspace.id);
  const receivedAt = deps.now();
  const { created, updated, unchanged } = await transaction(
    deps.db,
    (repos) => storeLeads({ repos }, { workspace, definition, leads: input.leads, receivedAt }),
    { timeout: 60_000 },
  );
  return { created, updated, unchanged };
}

/**
 * Stores a batch of leads (already validated) with repositories bound to the caller's
 * transaction: unknown campaigns are created, each lead is checked against the active agreed
 * definition (read by the caller before the transaction), new leads are queued for a card (or one
 * summary for a bulk batch) and changed leads that have a card get it updated. Only the
 * transaction is used: on the embedded database a second connection would wait for it to end.
 */
export async function storeLeads(
  { repos }: { repos: Repositories },
  input: {
    workspace: Workspace;
    definition: AgreedDefinition | undefined;
    leads: readonly IncomingLead[];
    /** When the leads arrived: the creation time of a new lead sent without one. */
    receivedAt: Date;
    queueCards?: boolean;
    /** The CRM the sync brings these leads from: new ones are marked with it. */
    crm?: CrmKind;
  },
): Promise<IngestLeadsResult> {
  const { workspace, leads, definition } = input;
  const undated = leads.filter((l) => l.createdAt === null).map((l) => l.externalId);
  // A lead sent again without its time keeps the time it was first received.
  const firstReceived =
    undated.length > 0
      ? await repos.leads.idsAndCreatedAt(workspace.id, undated)
      : new Map<string, { createdAt: Date }>();
  const keys = leads.map((l) => l.campaign).filter((k): k is string => k !== null);
  const campaignIds =
    keys.length > 0
      ? await repos.campaigns.ensureKeys(workspace.id, keys)
      : new Map<string, string>();
  const upserted = await repos.leads.upsertMany(
    workspace.id,
    leads.map((lead) => ({
      externalId: lead.externalId,
      email: lead.email,
      name: lead.name,
      company: lead.company,
      title: lead.title,
      campaignId: lead.campaign ? (campaignIds.get(lead.campaign) ?? null) : null,
      owner: lead.owner,
      createdAt:
        lead.createdAt ?? firstReceived.get(lead.externalId)?.createdAt ?? input.receivedAt,
      fields: lead.fields,
      definition: checkLead(definition, lead),
    })),
    input.crm,
  );
  const created = upserted.filter((u) => u.created);
  // Changed leads' cards are always updated; new leads' cards can be left to a caller that
  // batches a whole import into one summary.
  await repos.outbox.enqueue(workspace.id, [
    ...((input.queueCards ?? true)
      ? newLeadCards({
          workspace,
          leadIds: created.map((c) => c.id),
          campaignKey: campaignOf(leads, created),
        })
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
export function newLeadCards({
  workspace,
  leadIds,
  campaignKey,
  count = leadIds.length,
}: {
  workspace: Workspace;
  leadIds: readonly string[];
  campaignKey: string | null;
  count?: number;
}): OutboxItem[] {
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
