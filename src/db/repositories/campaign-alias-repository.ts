import type { Db } from "../client-or-transaction.ts";

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

  /** Maps the name to the campaign key, replacing what it mapped to before. */
  async set(workspaceId: string, alias: CampaignAlias): Promise<void> {
    const nameKey = aliasNameKey(alias.name);
    await this.db.campaignAlias.upsert({
      where: { workspaceId_nameKey: { workspaceId, nameKey } },
      create: { workspaceId, nameKey, name: alias.name.trim(), campaignKey: alias.campaignKey },
      update: { name: alias.name.trim(), campaignKey: alias.campaignKey },
    });
  }

  /** Removes the alias of this name (in any case); false when there was none. */
  async remove(workspaceId: string, name: string): Promise<boolean> {
    const { count } = await this.db.campaignAlias.deleteMany({
      where: { workspaceId, nameKey: aliasNameKey(name) },
    });
    return count > 0;
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
