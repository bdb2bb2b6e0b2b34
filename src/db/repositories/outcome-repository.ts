import type { OutcomeType, UpsertCounts } from "../../domain/ingest-schemas.ts";
import type { Db } from "../client-or-transaction.ts";
import { inLockOrder } from "../lock-order.ts";
import { NOTHING_UPSERTED, upsertCounts } from "../upsert-counts.ts";

/** An outcome ready to store: its lead already found in the workspace. */
export interface OutcomeRow {
  externalId: string;
  leadId: string;
  type: OutcomeType;
  at: Date;
  amount: number | null;
}

export class OutcomeRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores outcomes by (external id, type): a new one is created, the same values again change
   * nothing, other values update it. One statement; rows in lock order so two batches naming the
   * same outcomes wait for each other instead of deadlocking.
   */
  async upsert(workspaceId: string, outcomes: readonly OutcomeRow[]): Promise<UpsertCounts> {
    if (outcomes.length === 0) return NOTHING_UPSERTED;
    const rows = inLockOrder(outcomes, (o) => `${o.externalId}\u0000${o.type}`);
    const changed = await this.db.$queryRawUnsafe<{ created: boolean }[]>(
      `insert into outcome ("workspaceId", "externalId", "leadId", type, at, amount, "updatedAt")
       select $1, e, l, t::"OutcomeType", a, m, now()
       from unnest($2::text[], $3::text[], $4::text[], $5::timestamp(3)[], $6::numeric[]) as u(e, l, t, a, m)
       on conflict ("workspaceId", "externalId", type)
       do update set "leadId" = excluded."leadId", at = excluded.at, amount = excluded.amount, "updatedAt" = now()
       where (outcome."leadId", outcome.at, outcome.amount) is distinct from (excluded."leadId", excluded.at, excluded.amount)
       returning (xmax = 0) as created`,
      workspaceId,
      rows.map((r) => r.externalId),
      rows.map((r) => r.leadId),
      rows.map((r) => r.type),
      rows.map((r) => r.at.toISOString()),
      rows.map((r) => r.amount),
    );
    return upsertCounts(outcomes.length, changed);
  }

  /**
   * Makes the outcomes stored for these opportunities exactly `outcomes`: the CRM is their source,
   * so a type an opportunity no longer stands for (a reopened deal's `won`, a deleted
   * opportunity's every outcome) goes, and the rest are upserted.
   */
  async replaceForOpportunities(
    workspaceId: string,
    externalIds: readonly string[],
    outcomes: readonly OutcomeRow[],
  ): Promise<UpsertCounts & { removed: number }> {
    // One statement removes what the CRM no longer states; the upsert then stores the rest.
    const stale = await this.db.$queryRawUnsafe<{ id: bigint }[]>(
      `delete from outcome
       where "workspaceId" = $1 and "externalId" = any($2::text[])
         and ("externalId", type::text) not in (select * from unnest($3::text[], $4::text[]))
       returning id`,
      workspaceId,
      [...new Set(externalIds)],
      outcomes.map((o) => o.externalId),
      outcomes.map((o) => o.type),
    );
    return { ...(await this.upsert(workspaceId, outcomes)), removed: stale.length };
  }

  /** A lead's outcomes, oldest first. */
  async forLead(
    workspaceId: string,
    leadId: string,
  ): Promise<(OutcomeRow & { externalId: string })[]> {
    const rows = await this.db.outcome.findMany({
      where: { workspaceId, leadId },
      select: { externalId: true, leadId: true, type: true, at: true, amount: true },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    return rows.map((r) => ({ ...r, amount: r.amount === null ? null : Number(r.amount) }));
  }
}
