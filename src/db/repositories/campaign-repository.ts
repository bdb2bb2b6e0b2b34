import type { Campaign } from "../../domain/campaign.ts";
import { type Db, fromDateText, toDateText, toNumber } from "../db.ts";
import type { Prisma } from "../generated/client.ts";

const campaignSelect = {
  id: true,
  key: true,
  name: true,
  channel: true,
  owner: true,
  startsOn: true,
  endsOn: true,
  budget: true,
} satisfies Prisma.CampaignSelect;

function toCampaign(row: Prisma.CampaignGetPayload<{ select: typeof campaignSelect }>): Campaign {
  return {
    ...row,
    startsOn: toDateText(row.startsOn),
    endsOn: toDateText(row.endsOn),
    budget: toNumber(row.budget),
  };
}

export type CampaignInput = Omit<Campaign, "id">;

export class CampaignRepository {
  constructor(private readonly db: Db) {}

  async list(workspaceId: string): Promise<Campaign[]> {
    const rows = await this.db.campaign.findMany({
      where: { workspaceId },
      select: campaignSelect,
      orderBy: { key: "asc" },
    });
    return rows.map(toCampaign);
  }

  async upsert(workspaceId: string, input: CampaignInput): Promise<Campaign> {
    const data = {
      name: input.name,
      channel: input.channel,
      owner: input.owner,
      startsOn: input.startsOn === null ? null : fromDateText(input.startsOn),
      endsOn: input.endsOn === null ? null : fromDateText(input.endsOn),
      budget: input.budget,
    };
    const row = await this.db.campaign.upsert({
      where: { workspaceId_key: { workspaceId, key: input.key } },
      create: { workspaceId, key: input.key, ...data },
      update: data,
      select: campaignSelect,
    });
    return toCampaign(row);
  }

  /** Ids of the campaigns with these keys; a key not seen before creates its campaign (name = key). */
  async ensureKeys(workspaceId: string, keys: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(keys)];
    await this.db.campaign.createMany({
      data: unique.map((key) => ({ workspaceId, key, name: key })),
      skipDuplicates: true,
    });
    const rows = await this.db.campaign.findMany({
      where: { workspaceId, key: { in: unique } },
      select: { id: true, key: true },
    });
    return new Map(rows.map((r) => [r.key, r.id]));
  }

  async findByKey(workspaceId: string, key: string): Promise<Campaign | undefined> {
    const row = await this.db.campaign.findUnique({
      where: { workspaceId_key: { workspaceId, key } },
      select: campaignSelect,
    });
    return row ? toCampaign(row) : undefined;
  }
}
