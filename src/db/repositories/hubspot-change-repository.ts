import type { HubSpotChange } from "../../domain/hubspot-webhook.ts";
import type { Db } from "../client-or-transaction.ts";

/** How long a claimed change is held before another fetch may take it (a crashed one's runs out). */
export const HUBSPOT_CHANGE_LEASE_MS = 60_000;

/** A claimed change: the object to fetch, and the version a finished fetch covers. */
export interface ClaimedHubSpotChange extends HubSpotChange {
  workspaceId: string;
  version: number;
  attempts: number;
}

/**
 * HubSpot objects to fetch by id, marked by the webhook route and drained by their own job: one
 * row an object, however many events name it.
 */
export class HubSpotChangeRepository {
  constructor(private readonly db: Db) {}

  /**
   * Marks objects of a workspace to fetch, due now; an object already marked gets a new version,
   * so a fetch in progress does not count for this newer change.
   */
  async mark(workspaceId: string, changes: readonly HubSpotChange[], now: Date): Promise<void> {
    if (changes.length === 0) return;
    await this.db.$executeRaw`
      insert into hubspot_change
        ("workspaceId", "objectType", "objectId", deleted, "privacyDeleted", "nextAttemptAt")
      select ${workspaceId}, c."objectType", c."objectId", bool_or(c.deleted),
        bool_or(c."privacyDeleted"), ${now}
      from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb)
        as c("objectType" text, "objectId" text, deleted boolean, "privacyDeleted" boolean)
      group by c."objectType", c."objectId"
      on conflict ("workspaceId", "objectType", "objectId") do update set
        version = hubspot_change.version + 1,
        deleted = hubspot_change.deleted or excluded.deleted,
        "privacyDeleted" = hubspot_change."privacyDeleted" or excluded."privacyDeleted",
        attempts = 0,
        "nextAttemptAt" = excluded."nextAttemptAt",
        "lastError" = null`;
  }

  /** Whether any change is due: a cheap look before the CRM client is loaded. */
  async anyDue(now: Date): Promise<boolean> {
    const due = await this.db.hubSpotChange.findFirst({
      where: { nextAttemptAt: { lte: now } },
      select: { objectId: true },
    });
    return due !== null;
  }

  /** Due changes, claimed in one statement (held for the lease) so two replicas never share one. */
  async claim(now: Date, limit: number): Promise<ClaimedHubSpotChange[]> {
    const lease = new Date(now.getTime() + HUBSPOT_CHANGE_LEASE_MS);
    return this.db.$queryRaw<ClaimedHubSpotChange[]>`
      update hubspot_change set "nextAttemptAt" = ${lease}, attempts = attempts + 1
      where ("workspaceId", "objectType", "objectId") in (
        select "workspaceId", "objectType", "objectId" from hubspot_change
        where "nextAttemptAt" <= ${now}
        order by "nextAttemptAt" limit ${limit}
        for update skip locked)
      returning "workspaceId", "objectType", "objectId", deleted, "privacyDeleted", version,
        attempts`;
  }

  /** Fetched and stored: forgotten, unless a newer event marked it again meanwhile. */
  async finish(changes: readonly ClaimedHubSpotChange[]): Promise<void> {
    for (const change of changes) {
      await this.db.hubSpotChange.deleteMany({
        where: sameMark(change),
      });
    }
  }

  /** A fetch that failed: tried again at `at`, unless a newer event marked it again meanwhile. */
  async retryLater(changes: readonly ClaimedHubSpotChange[], error: string, at: Date) {
    for (const change of changes) {
      await this.db.hubSpotChange.updateMany({
        where: sameMark(change),
        data: { nextAttemptAt: at, lastError: error },
      });
    }
  }
}

/** The row of a claimed change as it was marked: a newer event's mark (another version) is left. */
function sameMark(change: ClaimedHubSpotChange) {
  const { workspaceId, objectType, objectId, version } = change;
  return { workspaceId, objectType, objectId, version };
}
