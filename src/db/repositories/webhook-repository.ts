import type { Db } from "../client-or-transaction.ts";
import type { Prisma } from "../generated/client.ts";

export interface DueDelivery {
  id: string;
  workspaceId: string;
  /** The event as stored: a `verdict.created` event (domain/webhook-event.ts), checked before it is sent. */
  payload: Prisma.JsonValue;
  attempts: number;
  createdAt: Date;
}

export interface DeliveryStatus {
  pending: number;
  delivered: number;
  failed: number;
  lastError: string | null;
}

/**
 * Stored verdict events for the outbound webhook, so none is lost between the verdict and the send
 * (each is queued with its verdict: LeadFeedbackRepository.record).
 */
export class WebhookRepository {
  constructor(private readonly db: Db) {}

  /** Due deliveries, claimed in one statement (pushed back a minute) so two senders never share one. */
  async claim(now: Date, limit: number): Promise<DueDelivery[]> {
    const lease = new Date(now.getTime() + 60_000);
    return this.db.$queryRaw<DueDelivery[]>`
      update webhook_delivery set "nextAttemptAt" = ${lease}, attempts = attempts + 1
      where id in (
        select id from webhook_delivery
        where status = 'pending' and "nextAttemptAt" <= ${now}
        order by "createdAt" limit ${limit}
        for update skip locked)
      returning id, "workspaceId", payload, attempts, "createdAt"`;
  }

  async markDelivered(id: string, at: Date, statusCode: number): Promise<void> {
    await this.db.webhookDelivery.update({
      where: { id },
      data: { status: "sent", deliveredAt: at, lastStatusCode: statusCode, lastError: null },
    });
  }

  async retryLater(id: string, error: string, statusCode: number | null, at: Date): Promise<void> {
    await this.db.webhookDelivery.update({
      where: { id },
      data: { nextAttemptAt: at, lastError: error, lastStatusCode: statusCode },
    });
  }

  async markFailed(id: string, error: string, statusCode: number | null): Promise<void> {
    await this.db.webhookDelivery.update({
      where: { id },
      data: { status: "failed", lastError: error, lastStatusCode: statusCode },
    });
  }

  /** What admins see on App Home. */
  async status(workspaceId: string): Promise<DeliveryStatus> {
    const groups = await this.db.webhookDelivery.groupBy({
      by: ["status"],
      where: { workspaceId },
      _count: { _all: true },
    });
    const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
    const last = await this.db.webhookDelivery.findFirst({
      where: { workspaceId, lastError: { not: null } },
      select: { lastError: true },
      orderBy: { createdAt: "desc" },
    });
    return {
      pending: count("pending"),
      delivered: count("sent"),
      failed: count("failed"),
      lastError: last?.lastError ?? null,
    };
  }
}
