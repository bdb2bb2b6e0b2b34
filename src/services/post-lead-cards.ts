import { z } from "zod";
import type { ClaimedItem } from "../db/repositories/outbox-repository.ts";
import type { Deps } from "../deps.ts";
import { Pacer } from "../domain/pacer.ts";
import {
  isPermanentSlackError,
  type MessageMetadata,
  slackErrorCode,
} from "../outbound/slack/gateway.ts";
import {
  leadCardBlocks,
  leadCardText,
  leadSummaryBlocks,
  leadSummaryText,
} from "../presentation/slack/lead-card.ts";
import { leadCardInput, refreshLeadCard } from "./lead-card.ts";
import { markCardPosted } from "./mark-card-posted.ts";

const MAX_ATTEMPTS = 10;
const backPayload = z.object({ feedbackId: z.string() });
/** A claim older than this belongs to a process that stopped mid-post. */
const CLAIM_TIMEOUT_MS = 2 * 60_000;

export interface OutboxOptions {
  /** Slack allows about one message per second per channel. */
  perChannelIntervalMs?: number;
  /**
   * chat.update is Tier 3 (about 50 a minute per workspace): card updates go a burst at once,
   * then one per interval, per workspace.
   */
  cardUpdates?: { intervalMs: number; burst: number };
  batchSize?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The not-yet verdict a "back from not yet" item is for. */
function backOf(item: ClaimedItem): string | undefined {
  const payload = backPayload.safeParse(item.payload);
  return payload.success ? payload.data.feedbackId : undefined;
}

function marker(item: ClaimedItem): MessageMetadata {
  return { event_type: "leadfit_card", event_payload: { outbox_id: item.id.toString() } };
}

/**
 * Posts and updates the stored card outbox in Slack at Slack's pace: each item once, surviving
 * crashes. An item is marked "sending" (with its channel) before the post, and "sent" after; one
 * left in "sending" by a crash is looked up in the channel's history before it is ever posted
 * again. Posts wait for their channel's turn; a card update whose workspace has used its turns is
 * put back until its booked turn, so it holds up no other item.
 */
export class CardOutbox {
  private readonly channels: Pacer;
  private readonly cardUpdates: Pacer;
  /** Card updates put back until their booked turn, by outbox id. */
  private readonly bookedUpdates = new Map<bigint, number>();
  private readonly batchSize: number;

  constructor(
    private readonly deps: Deps,
    options: OutboxOptions = {},
  ) {
    this.channels = new Pacer(options.perChannelIntervalMs ?? 1000);
    const updates = options.cardUpdates ?? { intervalMs: 1200, burst: 10 };
    this.cardUpdates = new Pacer(updates.intervalMs, updates.burst);
    this.batchSize = options.batchSize ?? 20;
  }

  /** Handles every item due now; returns how many were handled (not counting those put back). */
  async drain(): Promise<number> {
    // A booking long past was taken up by another replica, or its lead was deleted: forget it.
    const stale = this.deps.now().getTime() - CLAIM_TIMEOUT_MS;
    for (const [id, turn] of this.bookedUpdates) if (turn < stale) this.bookedUpdates.delete(id);
    let handled = 0;
    for (;;) {
      const items = await this.deps.repos.outbox.claim(this.deps.now(), this.batchSize);
      if (items.length === 0) return handled;
      const putBack: { id: bigint; at: Date }[] = [];
      for (const item of items) {
        const turn = item.kind === "card_update" ? this.updateTurn(item) : undefined;
        if (turn) putBack.push({ id: item.id, at: turn });
        else await this.handle(item);
      }
      await this.deps.repos.outbox.putBack(putBack);
      handled += items.length - putBack.length;
      // A short batch was all that was due: asking again would find nothing.
      if (items.length < this.batchSize) return handled;
    }
  }

  /** When a card update must wait for its workspace's turn, that turn; undefined to go now. */
  private updateTurn(item: ClaimedItem): Date | undefined {
    const now = this.deps.now().getTime();
    const booked = this.bookedUpdates.get(item.id);
    const turn = booked ?? this.cardUpdates.reserve(item.workspaceId, now);
    if (turn <= now) {
      this.bookedUpdates.delete(item.id);
      return undefined;
    }
    this.bookedUpdates.set(item.id, turn);
    return new Date(turn);
  }

  /** Resolves items a stopped process left in "sending". */
  async recover(): Promise<number> {
    const stale = await this.deps.repos.outbox.unfinished(
      new Date(this.deps.now().getTime() - CLAIM_TIMEOUT_MS),
    );
    for (const item of stale) {
      try {
        const gateway = await this.deps.slack.gateway(item.workspaceId);
        const ts =
          item.channelId && item.kind !== "card_update"
            ? await gateway.findPosted(
                item.channelId,
                new Date((item.claimedAt ?? this.deps.now()).getTime() - 60_000),
                marker(item),
              )
            : undefined;
        if (ts && item.channelId) await this.markPosted(item, item.channelId, ts);
        else
          await this.deps.repos.outbox.retryLater(
            item.id,
            "interrupted before Slack confirmed; posting again",
            this.deps.now(),
          );
      } catch (error) {
        await this.fail(item, error);
      }
    }
    return stale.length;
  }

  private async handle(item: ClaimedItem): Promise<void> {
    try {
      const workspace = await this.deps.repos.workspaces.get(item.workspaceId);
      if (!workspace?.active)
        return this.deps.repos.outbox.markFailed(item.id, "the workspace is no longer active");
      const gateway = await this.deps.slack.gateway(item.workspaceId);
      if (item.kind === "card_update") {
        if (item.leadId)
          await refreshLeadCard(
            { repos: this.deps.repos, gateway },
            { workspaceId: item.workspaceId, leadId: item.leadId },
          );
        return this.deps.repos.outbox.markSent(item.id, this.deps.now(), null);
      }
      const channel = workspace.salesChannelId;
      if (!channel) return this.deps.repos.outbox.markFailed(item.id, "no sales channel is set");
      const message = await this.message(item);
      if (!message) return this.deps.repos.outbox.markSent(item.id, this.deps.now(), null);
      await this.deps.repos.outbox.setChannel(item.id, channel);
      await this.pace(channel);
      const posted = await gateway.postOnce(channel, message, marker(item), {
        since: item.createdAt,
        lookFirst: item.attempts > 1,
      });
      await this.markPosted(item, posted.channel, posted.ts);
    } catch (error) {
      await this.fail(item, error);
    }
  }

  /** What to post; undefined when there is nothing left to post (lead deleted or already carded). */
  private async message(item: ClaimedItem) {
    if (item.kind === "lead_summary") {
      const payload = item.payload as { count: number; campaignKey: string | null };
      const campaign = payload.campaignKey
        ? await this.deps.repos.campaigns.findByKey(item.workspaceId, payload.campaignKey)
        : undefined;
      const input = { count: payload.count, campaignName: campaign?.name ?? payload.campaignKey };
      return { text: leadSummaryText(input), blocks: leadSummaryBlocks(input) };
    }
    const lead = item.leadId
      ? await this.deps.repos.leads.get(item.workspaceId, item.leadId)
      : undefined;
    if (!lead || (item.kind === "lead_card" && lead.card)) return undefined;
    const input = await leadCardInput(this.deps, { lead });
    // A lead back from not yet that was judged again before its card went out stays judged.
    if (item.kind === "lead_back" && input.current?.feedback.id !== backOf(item)) return undefined;
    return { text: leadCardText(input), blocks: leadCardBlocks(input) };
  }

  private markPosted(item: ClaimedItem, channelId: string, ts: string): Promise<void> {
    return markCardPosted(this.deps, {
      itemId: item.id,
      kind: item.kind,
      workspaceId: item.workspaceId,
      leadId: item.leadId,
      channelId,
      ts,
    });
  }

  private async fail(item: ClaimedItem, error: unknown): Promise<void> {
    const code = slackErrorCode(error);
    const reason = code ?? (error instanceof Error ? error.message : String(error));
    this.deps.log.warn("card outbox: could not post", {
      id: item.id.toString(),
      kind: item.kind,
      reason,
    });
    if (isPermanentSlackError(code) || item.attempts >= MAX_ATTEMPTS) {
      await this.deps.repos.outbox.markFailed(item.id, reason);
      return;
    }
    const backoffMs = Math.min(30_000 * 2 ** (item.attempts - 1), 3_600_000);
    await this.deps.repos.outbox.retryLater(
      item.id,
      reason,
      new Date(this.deps.now().getTime() + backoffMs),
    );
  }

  /** At most one post per channel per interval. */
  private async pace(channel: string): Promise<void> {
    const now = Date.now();
    const wait = this.channels.reserve(channel, now) - now;
    if (wait > 0) await sleep(wait);
  }
}
