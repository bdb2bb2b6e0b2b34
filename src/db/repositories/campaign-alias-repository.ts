import { atomically, type Db } from "../client-or-transaction.ts";
import { AuditRepository } from "./audit-repository.ts";

export interface CampaignAlias {
  name: string;
  campaignKey: string;
}

/** How names are matched: ignoring case and surrounding spaces. */
export function aliasNameKey(name: string): string {
  return name.trim().toLowerCase();
}

export class CampaignAliasRepository {
  constructor(private readonly db: Db) {}

  /** Maps the name to the campaign key, replacing what it mapped to before; audited. */
  async set(workspaceId: string, alias: CampaignAlias, actor: string): Promise<void> {
    const nameKey = aliasNameKey(alias.name);
    const name = alias.name.trim();
    await atomically(this.db, async (tx) => {
      await tx.campaignAlias.upsert({
        where: { workspaceId_nameKey: { workspaceId, nameKey } },
        create: { workspaceId, nameKey, name, campaignKey: alias.campaignKey },
        update: { name, campaignKey: alias.campaignKey },
      });
      await new AuditRepository(tx).record(workspaceId, actor, "campaign_alias.added", {
        name,
        campaignKey: alias.campaignKey,
      });
    });
  }

  /** Removes the alias of this name (in any case), audited; false when there was none. */
  async remove(workspaceId: string, name: string, actor: string): Promise<boolean> {
    return atomically(this.db, async (tx) => {
      const { count } = await tx.campaignAlias.deleteMany({
        where: { workspaceId, nameKey: aliasNameKey(name) },
      });
      if (count > 0)
        await new AuditRepository(tx).record(workspaceId, actor, "campaign_alias.removed", {
          name: name.trim(),
        });
      return count > 0;
    });
  }

  /** The workspace's aliases, by name. */
  async list(workspaceId: string): Promise<CampaignAlias[]> {
    return this.db.campaignAlias.findMany({
      where: { workspaceId },
      select: { name: true, campaignKey: true },
      orderBy: { nameKey: "asc" },
    });
  }
}
