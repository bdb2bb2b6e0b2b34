import type { UpsertCounts } from "../../domain/ingest-schemas.ts";
import type { MetricDefinition } from "../../domain/metrics.ts";
import type { Db } from "../client-or-transaction.ts";
import type { Granularity } from "../generated/client.ts";
import { inLockOrder, lockUntilCommit } from "../lock-order.ts";
import { NOTHING_UPSERTED, upsertCounts } from "../upsert-counts.ts";

export interface MetricValueToStore {
  metricKey: string;
  /** "" for the company-wide figure. */
  campaignKey: string;
  granularity: Granularity;
  /** The day, or the Monday of the ISO week, as "YYYY-MM-DD". */
  periodStart: string;
  value: number;
  source: string;
}

const metricDefinitionSelect = {
  key: true,
  label: true,
  unit: true,
  stage: true,
  goal: true,
  direction: true,
  aggregation: true,
  owner: true,
} as const;

export class MetricRepository {
  constructor(private readonly db: Db) {}

  async catalogue(workspaceId: string): Promise<MetricDefinition[]> {
    return this.db.metricDefinition.findMany({
      where: { workspaceId, retiredAt: null },
      select: metricDefinitionSelect,
      orderBy: { position: "asc" },
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
  async upsertValues(
    workspaceId: string,
    values: readonly MetricValueToStore[],
  ): Promise<UpsertCounts> {
    if (values.length === 0) return NOTHING_UPSERTED;
    const metrics = await this.db.metricDefinition.findMany({
      where: { workspaceId },
      select: { id: true, key: true },
    });
    const idOf = new Map(metrics.map((m) => [m.key, m.id]));
    // Within one batch the last value for a key wins; PostgreSQL cannot update a row twice in one
    // statement.
    const byKey = new Map<string, MetricValueToStore & { metricId: string }>();
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
    const rows = inLockOrder([...byKey.entries()], ([key]) => key).map(([, row]) => row);
    // One statement per batch: ON CONFLICT keeps re-sent values from doubling.
    const changed = await this.db.$queryRawUnsafe<{ created: boolean }[]>(
      `insert into metric_value ("workspaceId", "campaignKey", "metricId", granularity, "periodStart", value, source, "updatedAt")
       select $1, c, m, g::"Granularity", p, v, s, now()
       from unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::numeric[], $7::text[]) as t(c, m, g, p, v, s)
       on conflict ("workspaceId", "campaignKey", "metricId", granularity, "periodStart", source)
       do update set value = excluded.value, "updatedAt" = now()
       where metric_value.value is distinct from excluded.value
       returning (xmax = 0) as created`,
      workspaceId,
      rows.map((r) => r.campaignKey),
      rows.map((r) => r.metricId),
      rows.map((r) => r.granularity),
      rows.map((r) => r.periodStart),
      rows.map((r) => r.value),
      rows.map((r) => r.source),
    );
    return upsertCounts(values.length, changed);
  }

  /** Adds or changes metric definitions by key (un-retiring a retired one); counts what changed. */
  async define(
    workspaceId: string,
    definitions: readonly MetricDefinition[],
  ): Promise<UpsertCounts> {
    // Two batches creating the same new metrics in different orders would wait on each other's
    // inserts until one deadlocks; the catalogue's writers take turns (creation order is kept).
    await lockUntilCommit(this.db, `metric_definition:${workspaceId}`);
    let created = 0;
    let updated = 0;
    for (const definition of definitions) {
      const existing = await this.db.metricDefinition.findUnique({
        where: { workspaceId_key: { workspaceId, key: definition.key } },
        select: { ...metricDefinitionSelect, key: false, retiredAt: true },
      });
      if (!existing) {
        await this.db.metricDefinition.create({ data: { workspaceId, ...definition } });
        created += 1;
        continue;
      }
      const { retiredAt, ...current } = existing;
      const { key: _key, ...wanted } = definition;
      if (
        retiredAt === null &&
        JSON.stringify(current) === JSON.stringify({ ...current, ...wanted })
      )
        continue;
      await this.db.metricDefinition.update({
        where: { workspaceId_key: { workspaceId, key: definition.key } },
        data: { ...wanted, retiredAt: null },
      });
      updated += 1;
    }
    return { created, updated, unchanged: definitions.length - created - updated };
  }

  /** Retires a metric: no new values, kept on the old ones. False when there is no such metric. */
  async retire(workspaceId: string, key: string, at: Date): Promise<boolean> {
    const { count } = await this.db.metricDefinition.updateMany({
      where: { workspaceId, key, retiredAt: null },
      data: { retiredAt: at },
    });
    return count > 0;
  }

  /** Removes the values one source wrote (the demo's, before it writes them again). */
  async deleteValuesFrom(workspaceId: string, source: string): Promise<void> {
    await this.db.metricValue.deleteMany({ where: { workspaceId, source } });
  }
}
