import { createHmac } from "node:crypto";
import type { DueDelivery } from "../db/repositories/webhook-repository.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../domain/app-error.ts";
import { verdictCreatedEvent } from "../domain/webhook-event.ts";
import { postWebhook, type ResolveHost, resolveWithSystemDns } from "../outbound/webhook-client.ts";

const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const TIMEOUT_MS = 10_000;

/** `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the workspace's webhook secret. */
function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * Delivers stored verdict events: signed, retried with backoff for up to 24 hours, then marked
 * failed where admins see it. Runs after the Slack interaction was acknowledged, never before.
 */
export class WebhookSender {
  constructor(
    private readonly deps: Deps,
    private readonly resolveHost: ResolveHost = resolveWithSystemDns,
  ) {}

  async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const due = await this.deps.repos.webhooks.claim(this.deps.now(), 20);
      if (due.length === 0) return handled;
      await Promise.all(due.map((delivery) => this.deliver(delivery)));
      handled += due.length;
    }
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const { repos } = this.deps;
    const workspace = await repos.workspaces.get(delivery.workspaceId);
    if (!workspace?.webhook)
      return repos.webhooks.markFailed(delivery.id, "the webhook was removed", null);
    const event = verdictCreatedEvent.safeParse(delivery.payload);
    if (!event.success)
      return repos.webhooks.markFailed(
        delivery.id,
        `the stored event is not a verdict.created event: ${event.error.issues[0]?.message}`,
        null,
      );
    const body = JSON.stringify(event.data);
    const timestamp = Math.floor(this.deps.now().getTime() / 1000);
    let status: number | null = null;
    try {
      status = await postWebhook(
        {
          url: workspace.webhook.url,
          headers: {
            "content-type": "application/json",
            "user-agent": "Leadfit-Webhook/1",
            "leadfit-event-id": delivery.id,
            "leadfit-timestamp": String(timestamp),
            "leadfit-signature": signWebhook(workspace.webhook.secret, timestamp, body),
          },
          body,
        },
        {
          allowPrivate: this.deps.config.webhookAllowPrivate,
          resolveHost: this.resolveHost,
          timeoutMs: TIMEOUT_MS,
        },
      );
      if (status >= 200 && status < 300)
        return repos.webhooks.markDelivered(delivery.id, this.deps.now(), status);
      throw new Error(`the receiver answered ${status}`);
    } catch (error) {
      const reason =
        error instanceof AppError
          ? error.userMessage
          : error instanceof Error
            ? error.message
            : String(error);
      const next =
        this.deps.now().getTime() + Math.min(60_000 * 2 ** (delivery.attempts - 1), 3_600_000);
      if (error instanceof AppError || next - delivery.createdAt.getTime() > GIVE_UP_AFTER_MS) {
        return repos.webhooks.markFailed(delivery.id, reason, status);
      }
      return repos.webhooks.retryLater(delivery.id, reason, status, new Date(next));
    }
  }
}
