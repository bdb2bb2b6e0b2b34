import { atomically, type Db } from "../client-or-transaction.ts";
import { AuditRepository } from "./audit-repository.ts";

export interface ApiKeySummary {
  id: string;
  label: string;
  /** The first characters of the key, to recognise it; the key itself is never stored. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const summarySelect = {
  id: true,
  label: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export class ApiKeyRepository {
  constructor(private readonly db: Db) {}

  async create(input: {
    workspaceId: string;
    label: string;
    keyHash: string;
    prefix: string;
    createdBy: string;
  }): Promise<ApiKeySummary> {
    return atomically(this.db, async (tx) => {
      const key = await tx.apiKey.create({ data: input, select: summarySelect });
      await new AuditRepository(tx).record(input.workspaceId, input.createdBy, "api_key.created", {
        id: key.id,
        label: key.label,
      });
      return key;
    });
  }

  async list(workspaceId: string): Promise<ApiKeySummary[]> {
    return this.db.apiKey.findMany({
      where: { workspaceId },
      select: summarySelect,
      orderBy: { createdAt: "asc" },
    });
  }

  /** Revokes a key of this workspace; false when there is no such key. */
  async revoke(workspaceId: string, id: string, actor: string, at: Date): Promise<boolean> {
    return atomically(this.db, async (tx) => {
      const { count } = await tx.apiKey.updateMany({
        where: { id, workspaceId, revokedAt: null },
        data: { revokedAt: at },
      });
      if (count > 0)
        await new AuditRepository(tx).record(workspaceId, actor, "api_key.revoked", { id });
      return count > 0;
    });
  }

  /** The workspace a live key belongs to, noting its use. */
  async authenticate(keyHash: string, at: Date): Promise<string | undefined> {
    const key = await this.db.apiKey.findUnique({
      where: { keyHash },
      select: {
        id: true,
        workspaceId: true,
        revokedAt: true,
        workspace: { select: { active: true } },
      },
    });
    if (!key || key.revokedAt || !key.workspace.active) return undefined;
    await this.db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: at } });
    return key.workspaceId;
  }
}
