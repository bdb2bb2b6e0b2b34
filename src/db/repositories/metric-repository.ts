import type { MetricDefinition } from "../../domain/metrics.ts";
import type { Db } from "../db.ts";
import type { Granularity } from "../generated/client.ts";

export interface MetricValueInput {
  metricKey: string;
  /** "" for the company-wide figure. */
  campaignKey: string;
  granularity: Granularity;
  /** The day, or the Monday of the ISO week, as "YYYY-MM-DD". */
  periodStart: string;
  value: number;
  source: string;
}

export class MetricRepository {
  constructor(private readonly db: Db) {}

  async definitions(workspaceId: string): Promise<MetricDefinition[]> {
    return this.db.metricDefinition.findMany({
      where: { workspaceId, retiredAt: null },
      select: {
        key: true,
        label: true,
        unit: true,
        stage: true,
        goal: true,
        direction: true,
        aggregation: true,
        owner: true,
      },
      orderBy: { createdAt: "asc" },
    });
  }

  async definitionId(workspaceId: string, key: string): Promise<string | undefined> {
    const row = await this.db.metricDefinition.findUnique({
      where: { workspaceId_key: { workspaceId, key } },
      select: { id: true },
    });
    return row?.id;
  }

  /**
   * Stores values idempotently on (campaign, metric, granularity, period, source): a value sent
   * again replaces the old one. Every metric key must be in the workspace's catalogue.
   */
  async upsertValues(workspaceId: string, values: readonly MetricValueInput[]): Promise<void> {
    if (values.length === 0) return;
    const metrics = await this.db.metricDefinition.findMany({
      where: { workspaceId },
      select: { id: true, key: true },
    });
    const idOf = new Map(metrics.map((m) => [m.key, m.id]));
    // Within one batch the last value for a key wins; PostgreSQL cannot update a row twice in one
    // statement.
    const byKey = new Map<string, MetricValueInput & { metricId: string }>();
    for (const v of values) {
      const metricId = idOf.get(v.metricKey);
      if (!metricId) {
        throw new Error(`metric ${v.metricKey} is not in workspace ${workspaceId}'s catalogue`);
      }
      byKey.set([v.campaignKey, metricId, v.granularity, v.periodStart, v.source].join("\u0000"), {
        ...v,
        metricId,
      });
    }
    const rows = [...byKey.values()];
    // One statement per batch: ON CONFLICT keeps re-sent values from doubling.
    await this.db.$executeRawUnsafe(
      `insert into metric_value ("workspaceId", "campaignKey", "metricId", granularity, "periodStart", value, source, "updatedAt")
       select $1, c, m, g::"Granularity", p, v, s, now()
       from unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::numeric[], $7::text[]) as t(c, m, g, p, v, s)
       on conflict ("workspaceId", "campaignKey", "metricId", granularity, "periodStart", source)
       do update set value = excluded.value, "updatedAt" = now()
       where metric_value.value is distinct from excluded.value`,
      workspaceId,
      rows.map((r) => r.campaignKey),
      rows.map((r) => r.metricId),
      rows.map((r) => r.granularity),
      rows.map((r) => r.periodStart),
      rows.map((r) => r.value),
      rows.map((r) => r.source),
    );
  }
}
