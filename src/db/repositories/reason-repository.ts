import type { UpsertCounts } from "../../domain/ingest-schemas.ts";
import type { Reason } from "../../domain/taxonomy.ts";
import type { Db } from "../client-or-transaction.ts";

export class ReasonRepository {
  constructor(private readonly db: Db) {}

  /** The workspace's reasons in display order; retired ones only when asked (old verdicts keep them). */
  async list(workspaceId: string, options: { includeRetired?: boolean } = {}): Promise<Reason[]> {
    return this.db.reason.findMany({
      where: { workspaceId, ...(options.includeRetired ? {} : { retiredAt: null }) },
      select: { key: true, label: true, owner: true },
      orderBy: { position: "asc" },
    });
  }

  /** Adds reasons or changes their label and owner, by key (un-retiring a retired one). */
  async define(workspaceId: string, reasons: readonly Reason[]): Promise<UpsertCounts> {
    let created = 0;
    let updated = 0;
    for (const reason of reasons) {
      const existing = await this.db.reason.findUnique({
        where: { workspaceId_key: { workspaceId, key: reason.key } },
        select: { label: true, owner: true, retiredAt: true },
      });
      if (!existing) {
        const last = await this.db.reason.aggregate({
          where: { workspaceId },
          _max: { position: true },
        });
        await this.db.reason.create({
          data: { workspaceId, ...reason, position: (last._max.position ?? -1) + 1 },
        });
        created += 1;
      } else if (
        existing.label !== reason.label ||
        existing.owner !== reason.owner ||
        existing.retiredAt !== null
      ) {
        await this.db.reason.update({
          where: { workspaceId_key: { workspaceId, key: reason.key } },
          data: { label: reason.label, owner: reason.owner, retiredAt: null },
        });
        updated += 1;
      }
    }
    return { created, updated, unchanged: reasons.length - created - updated };
  }

  /** Retires a reason: no longer offered, still shown on the verdicts that used it. */
  async retire(workspaceId: string, key: string, at: Date): Promise<boolean> {
    const { count } = await this.db.reason.updateMany({
      where: { workspaceId, key, retiredAt: null },
      data: { retiredAt: at },
    });
    return count > 0;
  }
}
