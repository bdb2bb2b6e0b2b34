import type { Reason } from "../../domain/taxonomy.ts";
import type { Db } from "../db.ts";

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
}
