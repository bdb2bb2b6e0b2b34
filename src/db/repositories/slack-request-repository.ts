import type { Db } from "../client-or-transaction.ts";

/**
 * Slack requests already acted on, by Slack's own key for each, so a retry or a replay of one acts
 * once. Claim the key in the same transaction as the request's effect: a repeat then either finds
 * it, or waits for the first to commit and loses on the key.
 */
export class SlackRequestRepository {
  constructor(private readonly db: Db) {}

  /** True for the first request with this key in the workspace; false for a repeat. */
  async claim(workspaceId: string, key: string): Promise<boolean> {
    // One statement: createMany would wrap it in a transaction of its own, and on the embedded
    // database a transaction holds every other query back until it ends.
    const inserted = await this.db.$executeRaw`
      insert into handled_slack_request ("workspaceId", key) values (${workspaceId}, ${key})
      on conflict do nothing`;
    return inserted === 1;
  }

  /** Forgets requests handled before `before`; returns how many. */
  async forgetBefore(before: Date): Promise<number> {
    const { count } = await this.db.handledSlackRequest.deleteMany({
      where: { handledAt: { lt: before } },
    });
    return count;
  }
}
