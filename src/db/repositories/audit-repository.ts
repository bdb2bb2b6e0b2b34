import type { Db } from "../client-or-transaction.ts";

export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Who changed what: settings, definitions, schedules, keys. */
  async record(workspaceId: string, actor: string, action: string, details: object): Promise<void> {
    await this.db.auditEntry.create({
      data: { workspaceId, actor, action, details: JSON.parse(JSON.stringify(details)) },
    });
  }
}
