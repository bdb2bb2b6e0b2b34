import type { CrmKind } from "../../domain/crm-connection.ts";
import type { FieldValue } from "../../domain/definition-rules.ts";
import type { DefinitionCheck, DefinitionFailure, Lead, WaitingLead } from "../../domain/lead.ts";
import type { Db } from "../client-or-transaction.ts";
import { toDateText } from "../column-values.ts";
import { Prisma } from "../generated/client.ts";
import { inLockOrder, lockUntilCommit } from "../lock-order.ts";
import { AuditRepository } from "./audit-repository.ts";

const leadSelect = {
  id: true,
  workspaceId: true,
  externalId: true,
  email: true,
  name: true,
  company: true,
  title: true,
  owner: true,
  createdAt: true,
  fields: true,
  definitionStatus: true,
  definitionFailures: true,
  definitionVersion: true,
  cardChannelId: true,
  cardTs: true,
  campaign: { select: { key: true } },
} satisfies Prisma.LeadSelect;

function toLead(row: Prisma.LeadGetPayload<{ select: typeof leadSelect }>): Lead {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    externalId: row.externalId,
    email: row.email,
    name: row.name,
    company: row.company,
    title: row.title,
    campaignKey: row.campaign?.key ?? null,
    owner: row.owner,
    createdAt: row.createdAt,
    // Written only by this repository from parsed input, so the JSON has the shape we stored.
    fields: row.fields as Record<string, FieldValue>,
    definition: {
      status: row.definitionStatus,
      failures: row.definitionFailures as unknown as DefinitionFailure[],
      version: row.definitionVersion,
    },
    card: row.cardChannelId && row.cardTs ? { channelId: row.cardChannelId, ts: row.cardTs } : null,
  };
}

export interface LeadToStore {
  externalId: string;
  email: string;
  name: string | null;
  company: string | null;
  title: string | null;
  campaignId: string | null;
  owner: string | null;
  createdAt: Date;
  fields: Record<string, FieldValue>;
  definition: DefinitionCheck;
}

export class LeadRepository {
  constructor(private readonly db: Db) {}

  async get(workspaceId: string, id: string): Promise<Lead | undefined> {
    const row = await this.db.lead.findUnique({ where: { id, workspaceId }, select: leadSelect });
    return row ? toLead(row) : undefined;
  }

  async findByExternalId(workspaceId: string, externalId: string): Promise<Lead | undefined> {
    const row = await this.db.lead.findUnique({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      select: leadSelect,
    });
    return row ? toLead(row) : undefined;
  }

  /**
   * Deletes a lead with everything kept about it: its verdicts, queued cards and webhook
   * deliveries (sent ones too: no copy is kept). Call it inside a transaction. The card's place is
   * returned so the message in Slack can be scrubbed.
   */
  async deleteWithHistory(
    workspaceId: string,
    externalId: string,
  ): Promise<
    | { verdicts: number; deliveries: number; card: { channelId: string; ts: string } | null }
    | undefined
  > {
    const lead = await this.findByExternalId(workspaceId, externalId);
    if (!lead) return undefined;
    const verdicts = await this.db.leadFeedback.deleteMany({ where: { leadId: lead.id } });
    const deliveries = await this.db.webhookDelivery.deleteMany({ where: { leadId: lead.id } });
    await this.db.cardOutbox.deleteMany({ where: { leadId: lead.id } });
    await this.db.lead.delete({ where: { id: lead.id } });
    return { verdicts: verdicts.count, deliveries: deliveries.count, card: lead.card };
  }

  /**
   * Deletes a lead with its history on someone's request (`leadfit lead delete`, a privacy
   * deletion in the CRM), as `deleteWithHistory` does, and records who asked in the audit log.
   * Call it inside a transaction.
   */
  async deleteOnRequest(
    workspaceId: string,
    request: { externalId: string; actor: string; erasedFrom?: CrmKind },
  ) {
    const { externalId, actor } = request;
    await this.takeErasureTurn(workspaceId);
    const synced = await this.db.lead.findUnique({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      select: { crm: true },
    });
    const crm = request.erasedFrom ?? synced?.crm;
    if (crm)
      await this.db.erasedCrmRecord.upsert({
        where: { workspaceId_crm_externalId: { workspaceId, crm, externalId } },
        create: { workspaceId, crm, externalId },
        update: {},
      });
    const deleted = await this.deleteWithHistory(workspaceId, externalId);
    if (deleted) {
      const { verdicts, deliveries } = deleted;
      await new AuditRepository(this.db).record(workspaceId, actor, "lead.deleted", {
        externalId,
        verdicts,
        deliveries,
      });
    }
    return deleted;
  }

  /**
   * Waits for the workspace's erasures and CRM stores in flight, until the transaction ends: a
   * store that checked the erased records before an erasure committed could otherwise still write
   * the erased lead back. Call it first in the transaction, before any row is locked.
   */
  async takeErasureTurn(workspaceId: string): Promise<void> {
    await lockUntilCommit(this.db, `crm-erasure:${workspaceId}`);
  }

  /** Which of `externalIds` were erased on request from `crm`: no sync stores them again. */
  async erasedAmong(
    workspaceId: string,
    crm: CrmKind,
    externalIds: readonly string[],
  ): Promise<Set<string>> {
    if (externalIds.length === 0) return new Set();
    const rows = await this.db.erasedCrmRecord.findMany({
      where: { workspaceId, crm, externalId: { in: [...externalIds] } },
      select: { externalId: true },
    });
    return new Set(rows.map((r) => r.externalId));
  }

  /**
   * Folds the lead of a CRM record merged into another (`from`) into the lead of the record that
   * survived (`into`): its verdicts, outcomes and webhook history move over (each keeps its time,
   * so the newest verdict of the two stays current), and its posted card too when the survivor has
   * none. When the survivor is not a lead yet, the merged lead simply takes its CRM id. Call it
   * inside a transaction.
   */
  async mergeInto(
    workspaceId: string,
    move: { from: string; into: string },
  ): Promise<"merged" | "renamed" | "absent"> {
    const ids = await this.idsByExternalId(workspaceId, [move.from, move.into]);
    const from = ids.get(move.from);
    const into = ids.get(move.into);
    if (!from || move.from === move.into) return "absent";
    if (!into) {
      await this.db.lead.update({ where: { id: from }, data: { externalId: move.into } });
      return "renamed";
    }
    await this.db.leadFeedback.updateMany({ where: { leadId: from }, data: { leadId: into } });
    await this.db.outcome.updateMany({ where: { leadId: from }, data: { leadId: into } });
    await this.db.webhookDelivery.updateMany({ where: { leadId: from }, data: { leadId: into } });
    await this.db.crmVerdictWrite.updateMany({ where: { leadId: from }, data: { leadId: into } });
    await this.db.cardOutbox.deleteMany({ where: { leadId: from } });
    const card = await this.db.lead.findUniqueOrThrow({
      where: { id: from },
      select: { cardChannelId: true, cardTs: true },
    });
    await this.db.lead.delete({ where: { id: from } });
    if (card.cardChannelId && card.cardTs) {
      await this.db.lead.updateMany({
        where: { id: into, cardChannelId: null },
        data: { cardChannelId: card.cardChannelId, cardTs: card.cardTs },
      });
    }
    return "merged";
  }

  /**
   * The lead of a record deleted in the CRM: deleted (as by `deleteWithHistory`) when nothing was
   * learned about it, kept when it has a verdict or an outcome, which would otherwise be lost
   * without anyone deciding so. Call it inside a transaction.
   */
  async deleteUnlessJudged(
    workspaceId: string,
    externalId: string,
  ): Promise<"deleted" | "kept" | "absent"> {
    const lead = await this.db.lead.findUnique({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      select: { _count: { select: { feedback: true, outcomes: true } } },
    });
    if (!lead) return "absent";
    if (lead._count.feedback > 0 || lead._count.outcomes > 0) return "kept";
    await this.deleteWithHistory(workspaceId, externalId);
    return "deleted";
  }

  /** Marks leads as brought by the CRM sync from `crm`: their verdicts are written back there. */
  async markFromCrm(workspaceId: string, crm: CrmKind, externalIds: readonly string[]) {
    if (externalIds.length === 0) return;
    await this.db.lead.updateMany({
      where: {
        workspaceId,
        externalId: { in: [...new Set(externalIds)] },
        OR: [{ crm: null }, { crm: { not: crm } }],
      },
      data: { crm },
    });
  }

  /** The ids of the workspace's leads with these CRM ids, by CRM id; unknown ones are absent. */
  async idsByExternalId(
    workspaceId: string,
    externalIds: readonly string[],
  ): Promise<Map<string, string>> {
    const rows = await this.db.lead.findMany({
      where: { workspaceId, externalId: { in: [...new Set(externalIds)] } },
      select: { id: true, externalId: true },
    });
    return new Map(rows.map((r) => [r.externalId, r.id]));
  }

  /** Leads whose CRM id is `text` or whose email is `text` in any case, newest first. */
  async findByExternalIdOrEmail(workspaceId: string, text: string): Promise<Lead[]> {
    const rows = await this.db.lead.findMany({
      where: {
        workspaceId,
        OR: [{ externalId: text }, { email: { equals: text, mode: "insensitive" } }],
      },
      select: leadSelect,
      orderBy: { createdAt: "desc" },
    });
    return rows.map(toLead);
  }

  async upsert(workspaceId: string, input: LeadToStore): Promise<Lead> {
    const { definition } = input;
    // Listed one by one: a wider object passed in must never reach Prisma with extra keys.
    const data = {
      email: input.email,
      name: input.name,
      company: input.company,
      title: input.title,
      campaignId: input.campaignId,
      owner: input.owner,
      createdAt: input.createdAt,
      fields: input.fields,
      definitionStatus: definition.status,
      definitionFailures: definition.failures.map((f) => ({ text: f.text, reason: f.reason })),
      definitionVersion: definition.version,
    };
    const row = await this.db.lead.upsert({
      where: { workspaceId_externalId: { workspaceId, externalId: input.externalId } },
      create: { workspaceId, externalId: input.externalId, ...data },
      update: data,
      select: leadSelect,
    });
    return toLead(row);
  }

  async setCard(
    workspaceId: string,
    id: string,
    card: { channelId: string; ts: string },
  ): Promise<void> {
    await this.db.lead.update({
      where: { id, workspaceId },
      data: { cardChannelId: card.channelId, cardTs: card.ts },
    });
  }

  /** Leads whose name, email, company or CRM id contains the query, newest first. */
  async search(workspaceId: string, query: string, limit: number): Promise<Lead[]> {
    const contains = { contains: query, mode: "insensitive" as const };
    const rows = await this.db.lead.findMany({
      where: {
        workspaceId,
        OR: [
          { name: contains },
          { email: contains },
          { company: contains },
          { externalId: contains },
        ],
      },
      select: leadSelect,
      orderBy: { createdAt: "desc" },
      take: limit,
    });
    return rows.map(toLead);
  }

  /**
   * Leads waiting for a verdict, with the time each waits since: those without any verdict (since
   * they were created; read from the first-verdict index, in creation order), and those back from not yet (their not-yet verdict came back on its
   * revisit date and is still their current one; since it came back).
   */
  private waiting(workspaceId: string): Prisma.Sql {
    return Prisma.sql`
      select l.id, l.owner, l."createdAt" as since, null::bigint as "backId" from lead l
      where l."workspaceId" = ${workspaceId} and l."firstVerdictAt" is null
      union all
      select l.id, l.owner, f."cameBackAt", f.id from lead_feedback f join lead l on l.id = f."leadId"
      where f."workspaceId" = ${workspaceId} and f.verdict = 'not_yet' and f."cameBackAt" is not null
        and not exists (
          select from lead_feedback later
          where later."leadId" = f."leadId" and (later."givenAt", later.id) > (f."givenAt", f.id))`;
  }

  /** A page of waiting leads (ids in order) as leads, each back from not yet with that verdict. */
  private async waitingLeads(
    workspaceId: string,
    page: readonly { id: string; backId: bigint | null }[],
  ): Promise<WaitingLead[]> {
    const backIds = page.flatMap((r) => (r.backId === null ? [] : [r.backId]));
    const [rows, back] = await Promise.all([
      this.db.lead.findMany({
        where: { workspaceId, id: { in: page.map((r) => r.id) } },
        select: leadSelect,
      }),
      backIds.length === 0
        ? []
        : this.db.leadFeedback.findMany({
            where: { workspaceId, id: { in: backIds } },
            select: { leadId: true, userId: true, givenAt: true, revisitOn: true },
          }),
    ]);
    const byId = new Map(rows.map((r) => [r.id, toLead(r)]));
    const backOf = new Map(
      back.map((f) => [
        f.leadId,
        { userId: f.userId, givenAt: f.givenAt, revisitOn: toDateText(f.revisitOn) },
      ]),
    );
    return page.flatMap((r) => {
      const lead = byId.get(r.id);
      return lead ? [{ ...lead, backFromNotYet: backOf.get(r.id) ?? null }] : [];
    });
  }

  /**
   * Leads waiting for a verdict (see `waiting`): the viewer's own (as lead owner) first, then
   * oldest first: a lead back from not yet waits since it came back.
   */
  async unreviewed(
    workspaceId: string,
    options: { viewerId?: string; offset?: number; limit: number },
  ): Promise<{ leads: WaitingLead[]; total: number }> {
    const waiting = this.waiting(workspaceId);
    const [[count], page] = await Promise.all([
      this.db.$queryRaw<{ total: number }[]>`
        select count(*)::int as total from (${waiting}) as waiting`,
      this.db.$queryRaw<{ id: string; backId: bigint | null }[]>`
        select id, "backId" from (${waiting}) as waiting
        order by (owner is not distinct from ${options.viewerId ?? null}) desc, since, id
        offset ${options.offset ?? 0} limit ${options.limit}`,
    ]);
    return { leads: await this.waitingLeads(workspaceId, page), total: count?.total ?? 0 };
  }

  /**
   * Leads waiting for a verdict (see `waiting`) since before `cutoff`, longest waiting first: a
   * lead back from not yet is overdue once it has waited the SLA since it came back.
   */
  async overdue(
    workspaceId: string,
    cutoff: Date,
    limit: number,
  ): Promise<{ leads: WaitingLead[]; total: number }> {
    const waiting = this.waiting(workspaceId);
    const [[count], page] = await Promise.all([
      this.db.$queryRaw<{ total: number }[]>`
        select count(*)::int as total from (${waiting}) as waiting where since < ${cutoff}`,
      this.db.$queryRaw<{ id: string; backId: bigint | null }[]>`
        select id, "backId" from (${waiting}) as waiting where since < ${cutoff}
        order by since, id limit ${limit}`,
    ]);
    return { leads: await this.waitingLeads(workspaceId, page), total: count?.total ?? 0 };
  }

  async setDefinition(workspaceId: string, id: string, check: DefinitionCheck): Promise<void> {
    await this.db.lead.update({
      where: { id, workspaceId },
      data: {
        definitionStatus: check.status,
        definitionFailures: check.failures.map((f) => ({ text: f.text, reason: f.reason })),
        definitionVersion: check.version,
      },
    });
  }

  /** The id and creation time of each of these leads the workspace has, by CRM id. */
  async idsAndCreatedAt(
    workspaceId: string,
    externalIds: readonly string[],
  ): Promise<Map<string, { id: string; createdAt: Date }>> {
    const rows = await this.db.lead.findMany({
      where: { workspaceId, externalId: { in: [...new Set(externalIds)] } },
      select: { id: true, externalId: true, createdAt: true },
    });
    return new Map(rows.map(({ externalId, ...lead }) => [externalId, lead]));
  }

  /** The qualification field names seen on the workspace's leads, for rule editing. */
  async fieldNames(workspaceId: string, limit = 50): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ name: string }[]>`
      select distinct jsonb_object_keys(fields) as name from lead
      where "workspaceId" = ${workspaceId} order by name limit ${limit}`;
    return rows.map((r) => r.name);
  }

  /**
   * Inserts new leads and updates changed ones in one statement; unchanged leads are not touched.
   * New leads are marked with `crm` when the CRM sync brings them (existing ones: markFromCrm).
   * Returns the created and updated leads (with whether a card was posted for them).
   */
  async upsertMany(
    workspaceId: string,
    batch: readonly LeadToStore[],
    crm: CrmKind | null = null,
  ): Promise<UpsertedLead[]> {
    if (batch.length === 0) return [];
    const inputs = inLockOrder(batch, (input) => input.externalId);
    const column = <T>(pick: (input: LeadToStore) => T) => inputs.map(pick);
    return this.db.$queryRaw<UpsertedLead[]>`
      insert into lead (id, "workspaceId", "externalId", email, name, company, title, "campaignId", owner,
        "createdAt", "receivedAt", "updatedAt", fields, "definitionStatus", "definitionFailures", "definitionVersion", crm)
      select gen_random_uuid()::text, ${workspaceId}, v.external_id, v.email, v.name, v.company, v.title, v.campaign_id, v.owner,
        v.created_at, now(), now(), v.fields::jsonb, v.definition_status::"DefinitionStatus", v.definition_failures::jsonb, v.definition_version,
        ${crm}::"CrmKind"
      from unnest(
        ${column((i) => i.externalId)}::text[], ${column((i) => i.email)}::text[], ${column((i) => i.name)}::text[],
        ${column((i) => i.company)}::text[], ${column((i) => i.title)}::text[], ${column((i) => i.campaignId)}::text[],
        ${column((i) => i.owner)}::text[], ${column((i) => i.createdAt)}::timestamptz[], ${column((i) => JSON.stringify(i.fields))}::text[],
        ${column((i) => i.definition.status)}::text[],
        ${column((i) => JSON.stringify(i.definition.failures.map((f) => ({ text: f.text, reason: f.reason }))))}::text[],
        ${column((i) => i.definition.version)}::int[]
      ) as v(external_id, email, name, company, title, campaign_id, owner, created_at, fields, definition_status, definition_failures, definition_version)
      on conflict ("workspaceId", "externalId") do update set
        email = excluded.email, name = excluded.name, company = excluded.company, title = excluded.title,
        "campaignId" = excluded."campaignId", owner = excluded.owner, "createdAt" = excluded."createdAt",
        fields = excluded.fields, "definitionStatus" = excluded."definitionStatus",
        "definitionFailures" = excluded."definitionFailures", "definitionVersion" = excluded."definitionVersion",
        "updatedAt" = now()
      where (lead.email, lead.name, lead.company, lead.title, lead."campaignId", lead.owner, lead."createdAt", lead.fields,
          lead."definitionStatus", lead."definitionFailures", lead."definitionVersion")
        is distinct from (excluded.email, excluded.name, excluded.company, excluded.title, excluded."campaignId", excluded.owner,
          excluded."createdAt", excluded.fields, excluded."definitionStatus", excluded."definitionFailures", excluded."definitionVersion")
      returning id, "externalId", (xmax = 0) as created, ("cardChannelId" is not null) as "hasCard"`;
  }

  /** Removes the leads whose external id starts with `prefix`, their verdicts with them. */
  async deleteByExternalIdPrefix(workspaceId: string, prefix: string): Promise<void> {
    await this.db.lead.deleteMany({ where: { workspaceId, externalId: { startsWith: prefix } } });
  }
}

export interface UpsertedLead {
  id: string;
  externalId: string;
  created: boolean;
  hasCard: boolean;
}
