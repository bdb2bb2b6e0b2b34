import type { Db } from "../client-or-transaction.ts";
import type { Prisma } from "../generated/client.ts";

export type OutboxKind = "lead_card" | "lead_summary" | "card_update" | "lead_back";

export interface OutboxItem {
  /**
   * Makes each card happen once: "card:<lead id>", "summary:<batch id>", "update:<lead id>:<version>",
   * "back:<not-yet verdict id>".
   */
  dedupeKey: string;
  kind: OutboxKind;
  leadId: string | null;
  payload: Prisma.InputJsonValue;
}

export interface ClaimedItem extends OutboxItem {
  id: bigint;
  workspaceId: string;
  attempts: number;
  claimedAt: Date | null;
  channelId: string | null;
  createdAt: Date;
}

const claimedSelect = {
  id: true,
  workspaceId: true,
  dedupeKey: true,
  kind: true,
  leadId: true,
  payload: true,
  attempts: true,
  claimedAt: true,
  channelId: true,
  createdAt: true,
} as const;

type ClaimedRow = Prisma.CardOutboxGetPayload<{ select: typeof claimedSelect }>;

function toClaimed(row: ClaimedRow): ClaimedItem {
  return { ...row, kind: row.kind as OutboxKind, payload: row.payload as Prisma.InputJsonValue };
}

/** The stored queue of Slack cards to post, so none is lost or doubled by a crash. */
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  async enqueue(workspaceId: string, items: readonly OutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.db.cardOutbox.createMany({
      data: items.map((i) => ({ workspaceId, ...i })),
      skipDuplicates: true,
    });
  }

  /**
   * Due items, oldest first, marked as being sent before anything is posted. One statement with
   * SKIP LOCKED, so two workers (replicas) never claim the same item.
   */
  async claim(now: Date, limit: number): Promise<ClaimedItem[]> {
    const rows = await this.db.$queryRaw<ClaimedRow[]>`
      update card_outbox set status = 'sending', "claimedAt" = ${now}, attempts = attempts + 1
      where id in (
        select id from card_outbox
        where status = 'pending' and "nextAttemptAt" <= ${now}
        order by id limit ${limit}
        for update skip locked)
      returning id, "workspaceId", "dedupeKey", kind, "leadId", payload, attempts, "claimedAt",
        "channelId", "createdAt"`;
    // RETURNING keeps no order.
    return rows.sort((a, b) => (a.id < b.id ? -1 : 1)).map(toClaimed);
  }

  /** Items left in "sending" by a process that stopped before it knew whether Slack got them. */
  async unfinished(claimedBefore: Date): Promise<ClaimedItem[]> {
    const rows = await this.db.cardOutbox.findMany({
      where: { status: "sending", claimedAt: { lt: claimedBefore } },
      select: claimedSelect,
      orderBy: { id: "asc" },
    });
    return rows.map(toClaimed);
  }

  async setChannel(id: bigint, channelId: string): Promise<void> {
    await this.db.cardOutbox.update({ where: { id }, data: { channelId } });
  }

  async markSent(id: bigint, at: Date, messageTs: string | null): Promise<void> {
    await this.db.cardOutbox.update({
      where: { id },
      data: { status: "sent", sentAt: at, messageTs, lastError: null },
    });
  }

  async retryLater(id: bigint, error: string, at: Date): Promise<void> {
    await this.db.cardOutbox.update({
      where: { id },
      data: { status: "pending", nextAttemptAt: at, lastError: error },
    });
  }

  /**
   * Returns claimed items to the queue until `at`, without counting the claim as an attempt:
   * they waited for a rate limit, nothing was tried.
   */
  async putBack(items: readonly { id: bigint; at: Date }[]): Promise<void> {
    if (items.length === 0) return;
    const ids = items.map((i) => i.id.toString());
    const times = items.map((i) => i.at.toISOString());
    await this.db.$executeRaw`
      update card_outbox set status = 'pending', attempts = attempts - 1, "nextAttemptAt" = turn.at
      from unnest(${ids}::bigint[], ${times}::timestamp(3)[]) as turn(id, at)
      where card_outbox.id = turn.id`;
  }

  async markFailed(id: bigint, error: string): Promise<void> {
    await this.db.cardOutbox.update({
      where: { id },
      data: { status: "failed", lastError: error },
    });
  }

  async failures(
    workspaceId: string,
    limit: number,
  ): Promise<{ kind: string; lastError: string | null; createdAt: Date }[]> {
    return this.db.cardOutbox.findMany({
      where: { workspaceId, status: "failed" },
      select: { kind: true, lastError: true, createdAt: true },
      orderBy: { id: "desc" },
      take: limit,
    });
  }
}
