import type pg from "pg";
import type { LeadFeedback } from "../../domain/lead.ts";
import { firstTime, type Once, REPEAT } from "../../domain/once.ts";
import { DEFAULT_REVISIT_DAYS } from "../../domain/revisit.ts";
import type { DefinitionCheckStatus } from "../../domain/verdict.ts";
import type { Db } from "../client-or-transaction.ts";
import { fromDateText, toDateText } from "../column-values.ts";
import { Prisma } from "../generated/client.ts";

const leadFeedbackSelect = {
  id: true,
  leadId: true,
  verdict: true,
  reasons: true,
  note: true,
  userId: true,
  givenAt: true,
  definitionStatus: true,
  revisitOn: true,
  cameBackAt: true,
} satisfies Prisma.LeadFeedbackSelect;

function toLeadFeedback(
  row: Prisma.LeadFeedbackGetPayload<{ select: typeof leadFeedbackSelect }>,
): LeadFeedback {
  return { ...row, id: row.id.toString(), revisitOn: toDateText(row.revisitOn) };
}

export type LeadFeedbackToStore = Omit<LeadFeedback, "id" | "revisitOn" | "cameBackAt"> & {
  revisitOn?: string | null;
};

/** LeadFeedback is append-only: the newest entry is the lead's current verdict. */
export class LeadFeedbackRepository {
  constructor(
    private readonly db: Db,
    /** `record` runs here, on a connection of its own, even when `db` is a transaction. */
    private readonly pool: pg.Pool,
  ) {}

  /** Appends a verdict on a lead of the workspace; a lead id of another workspace is not found. */
  async append(workspaceId: string, input: LeadFeedbackToStore): Promise<LeadFeedback> {
    const { leadId, revisitOn, ...verdict } = input;
    const row = await this.db.leadFeedback.create({
      data: {
        ...verdict,
        revisitOn: revisitOn ? fromDateText(revisitOn) : null,
        workspace: { connect: { id: workspaceId } },
        lead: { connect: { id: leadId, workspaceId } },
      },
      select: leadFeedbackSelect,
    });
    return toLeadFeedback(row);
  }

  /**
   * Records a verdict on a lead of the workspace in one statement, so a click is stored in a
   * single round trip: the lead's definition status is its snapshot; when the lead has a card, the
   * card's update is queued in the card outbox; and when the workspace has a webhook, the
   * verdict's `verdict.created` event (id `eventId`, which is also its delivery's id; its body
   * is the contract in domain/webhook-event.ts) is queued;
   * and when the lead came from the CRM the workspace is connected to, its write back there is
   * queued. A not-yet verdict without a revisit date gets the default, DEFAULT_REVISIT_DAYS after
   * the day it is given in the workspace's timezone (worked out here: a click stays one round
   * trip). All of it atomically, so a crash after the acknowledgement loses none of them. The Slack request's
   * key is stored with it: a repeat of the request (a retry, a replay) stores nothing and is told
   * so, also when it races the first. Undefined when the workspace has no such lead.
   */
  async record(
    workspaceId: string,
    input: Omit<LeadFeedbackToStore, "definitionStatus">,
    eventId: string,
    requestKey: string,
  ): Promise<Once<LeadFeedback> | undefined> {
    const givenAt = input.givenAt.toISOString();
    const revisitOn = input.verdict === "not_yet" ? (input.revisitOn ?? null) : null;
    const statement = Prisma.sql`
      with target as (
        select l.id, l."externalId", l.email, l."definitionStatus", l."cardTs" is not null as "hasCard",
          coalesce(w.timezone, 'UTC') as timezone,
          w."webhookUrl" is not null and w."webhookSecret" is not null as "hasWebhook",
          c.kind as "crm"
        from lead l join workspace w on w.id = l."workspaceId"
          left join crm_connection c on c."workspaceId" = l."workspaceId" and c.kind = l.crm
        where l.id = ${input.leadId} and l."workspaceId" = ${workspaceId}
      ), handled as (
        insert into handled_slack_request ("workspaceId", key)
        select ${workspaceId}, ${requestKey} from target
        on conflict do nothing
        returning key
      ), feedback as (
        insert into lead_feedback
          ("workspaceId", "leadId", verdict, reasons, note, "userId", "givenAt", "definitionStatus",
           "revisitOn")
        select ${workspaceId}, target.id, ${input.verdict}::"Verdict", ${input.reasons}::text[],
          ${input.note}, ${input.userId}, ${givenAt}::timestamp(3), target."definitionStatus",
          case when ${input.verdict}::"Verdict" = 'not_yet' then coalesce(${revisitOn}::date,
            (${givenAt}::timestamptz at time zone target.timezone)::date + ${DEFAULT_REVISIT_DAYS}::int)
          end
        from target, handled
        returning id, "definitionStatus", to_char("revisitOn", 'YYYY-MM-DD') as "revisitOn"
      ), event as (
        insert into webhook_delivery (id, "workspaceId", "eventType", "leadId", payload)
        select ${eventId}, ${workspaceId}, 'verdict.created', target.id, jsonb_build_object(
          'id', ${eventId}::text,
          'type', 'verdict.created',
          'createdAt', ${givenAt}::text,
          'workspace', ${workspaceId}::text,
          'data', jsonb_build_object(
            'lead', jsonb_build_object('externalId', target."externalId", 'email', target.email),
            'verdict', ${input.verdict}::text,
            'reasons', to_jsonb(${input.reasons}::text[]),
            'note', ${input.note}::text,
            'userId', ${input.userId}::text,
            'givenAt', ${givenAt}::text,
            'definitionStatus', feedback."definitionStatus"))
        from target, feedback
        where target."hasWebhook"
      ), card as (
        insert into card_outbox ("workspaceId", "dedupeKey", kind, "leadId", payload)
        select ${workspaceId}, 'update:' || target.id || ':' || feedback.id, 'card_update',
          target.id, '{}'::jsonb
        from target, feedback
        where target."hasCard"
      ), crm_write as (
        insert into crm_verdict_write
          ("feedbackId", "workspaceId", "leadId", crm, "nextAttemptAt", "createdAt")
        select feedback.id, ${workspaceId}, target.id, target.crm, ${givenAt}::timestamp(3),
          ${givenAt}::timestamp(3)
        from target, feedback
        where target.crm is not null
      )
      select exists (select from target) as "leadFound", feedback.id, feedback."definitionStatus",
        feedback."revisitOn"
      from (values (true)) as request left join feedback on true`;
    // On the pool as a named statement rather than through Prisma: a click waits for this before
    // Slack gets its acknowledgement, and Prisma's own work per query (about a third of a
    // millisecond) is a large part of that wait.
    const { rows } = await this.pool.query<{
      leadFound: boolean;
      id: string | null;
      definitionStatus: DefinitionCheckStatus | null;
      revisitOn: string | null;
    }>({
      name: "leadfit_record_verdict",
      text: statement.text,
      values: statement.values,
    });
    const [row] = rows;
    if (!row?.leadFound) return undefined;
    if (row.id === null || row.definitionStatus === null) return REPEAT;
    return firstTime({
      ...input,
      id: row.id,
      definitionStatus: row.definitionStatus,
      revisitOn: row.revisitOn,
      cameBackAt: null,
    });
  }

  /**
   * Brings back the not-yet leads whose revisit date has come (in their workspace's timezone, as
   * of `now`) and whose not-yet verdict is still their current one: marks each such verdict as
   * come back and queues its "back from not yet" card, in one statement. A verdict comes back
   * once: one marked is never picked again, and a replica running this at the same moment waits
   * for the row and then finds it marked. Returns the leads that came back.
   */
  async bringBackDue(now: Date): Promise<{ workspaceId: string; leadId: string }[]> {
    const at = now.toISOString();
    return this.db.$queryRaw<{ workspaceId: string; leadId: string }[]>`
      with due as (
        update lead_feedback f set "cameBackAt" = ${at}::timestamp(3)
        from workspace w
        where w.id = f."workspaceId" and w.active
          and f."cameBackAt" is null and f."revisitOn" is not null and f.verdict = 'not_yet'
          and f."revisitOn" <= (${at}::timestamptz at time zone coalesce(w.timezone, 'UTC'))::date
          and not exists (
            select from lead_feedback later
            where later."leadId" = f."leadId"
              and (later."givenAt", later.id) > (f."givenAt", f.id))
        returning f.id, f."workspaceId", f."leadId"
      ), card as (
        insert into card_outbox ("workspaceId", "dedupeKey", kind, "leadId", payload)
        select due."workspaceId", 'back:' || due.id, 'lead_back', due."leadId",
          jsonb_build_object('feedbackId', due.id::text)
        from due
        on conflict do nothing
      )
      select "workspaceId", "leadId" from due`;
  }

  /** The lead's verdicts, oldest first. */
  async history(workspaceId: string, leadId: string): Promise<LeadFeedback[]> {
    const rows = await this.db.leadFeedback.findMany({
      where: { workspaceId, leadId },
      select: leadFeedbackSelect,
      orderBy: [{ givenAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toLeadFeedback);
  }

  async current(workspaceId: string, leadId: string): Promise<LeadFeedback | undefined> {
    const row = await this.db.leadFeedback.findFirst({
      where: { workspaceId, leadId },
      select: leadFeedbackSelect,
      orderBy: [{ givenAt: "desc" }, { id: "desc" }],
    });
    return row ? toLeadFeedback(row) : undefined;
  }

  /** Verdicts in the order they were given, after a cursor (a verdict id), for CRMs that pull. */
  async page(
    workspaceId: string,
    options: { since?: Date | undefined; after?: bigint | undefined; limit: number },
  ): Promise<(Omit<LeadFeedback, "leadId"> & { leadExternalId: string })[]> {
    const rows = await this.db.leadFeedback.findMany({
      where: {
        workspaceId,
        ...(options.since ? { givenAt: { gte: options.since } } : {}),
        ...(options.after !== undefined ? { id: { gt: options.after } } : {}),
      },
      select: { ...leadFeedbackSelect, lead: { select: { externalId: true } } },
      orderBy: { id: "asc" },
      take: options.limit,
    });
    return rows.map(({ lead, leadId: _leadId, id, revisitOn, ...row }) => ({
      ...row,
      id: id.toString(),
      revisitOn: toDateText(revisitOn),
      leadExternalId: lead.externalId,
    }));
  }
}
