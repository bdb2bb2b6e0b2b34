import type { Campaign } from "../../domain/campaign.ts";
import type { UpsertCounts } from "../../domain/ingest-schemas.ts";
import type { Db } from "../client-or-transaction.ts";
import { fromDateText, toDateText, toNumber } from "../column-values.ts";
import type { Prisma } from "../generated/client.ts";
import { inLockOrder } from "../lock-order.ts";
import { NOTHING_UPSERTED, upsertCounts } from "../upsert-counts.ts";

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

export type CampaignToStore = Omit<Campaign, "id">;

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

  async upsert(workspaceId: string, input: CampaignToStore): Promise<Campaign> {
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
    const unique = inLockOrder([...new Set(keys)], (key) => key);
    // One statement (an import runs this per chunk): its select sees the rows as they were
    // before the insert, so each key comes from one side of the union, or from neither when
    // another transaction created it meanwhile: those are read again below.
    const rows = await this.db.$queryRaw<{ id: string; key: string }[]>`
      with created as (
        insert into campaign (id, "workspaceId", key, name, "createdAt", "updatedAt")
        select gen_random_uuid()::text, ${workspaceId}, k.key, k.key, now(), now()
        from unnest(${unique}::text[]) with ordinality as k(key, n) order by k.n
        on conflict ("workspaceId", key) do nothing
        returning id, key)
      select id, key from created
      union all
      select id, key from campaign where "workspaceId" = ${workspaceId} and key = any(${unique}::text[])`;
    const ids = new Map(rows.map((r) => [r.key, r.id]));
    const raced = unique.filter((key) => !ids.has(key));
    if (raced.length > 0)
      for (const row of await this.db.campaign.findMany({
        where: { workspaceId, key: { in: raced } },
        select: { id: true, key: true },
      }))
        ids.set(row.key, row.id);
    return ids;
  }

  async findByKey(workspaceId: string, key: string): Promise<Campaign | undefined> {
    const row = await this.db.campaign.findUnique({
      where: { workspaceId_key: { workspaceId, key } },
      select: campaignSelect,
    });
    return row ? toCampaign(row) : undefined;
  }

  /** Campaigns by key: created, updated where anything differs, else left unchanged. */
  async upsertMany(workspaceId: string, batch: readonly CampaignToStore[]): Promise<UpsertCounts> {
    if (batch.length === 0) return NOTHING_UPSERTED;
    const inputs = inLockOrder(batch, (input) => input.key);
    const column = <T>(pick: (input: CampaignToStore) => T) => inputs.map(pick);
    const changed = await this.db.$queryRaw<{ created: boolean }[]>`
      insert into campaign (id, "workspaceId", key, name, channel, owner, "startsOn", "endsOn", budget, "createdAt", "updatedAt")
      select gen_random_uuid()::text, ${workspaceId}, v.key, v.name, v.channel, v.owner, v.starts_on, v.ends_on, v.budget, now(), now()
      from unnest(${column((c) => c.key)}::text[], ${column((c) => c.name)}::text[], ${column((c) => c.channel)}::text[],
        ${column((c) => c.owner)}::text[], ${column((c) => c.startsOn)}::date[], ${column((c) => c.endsOn)}::date[],
        ${column((c) => c.budget)}::numeric[]) as v(key, name, channel, owner, starts_on, ends_on, budget)
      on conflict ("workspaceId", key) do update set
        name = excluded.name, channel = excluded.channel, owner = excluded.owner, "startsOn" = excluded."startsOn",
        "endsOn" = excluded."endsOn", budget = excluded.budget, "updatedAt" = now()
      where (campaign.name, campaign.channel, campaign.owner, campaign."startsOn", campaign."endsOn", campaign.budget)
        is distinct from (excluded.name, excluded.channel, excluded.owner, excluded."startsOn", excluded."endsOn", excluded.budget)
      returning (xmax = 0) as created`;
    return upsertCounts(inputs.length, changed);
  }
}
