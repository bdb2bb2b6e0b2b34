import type pg from "pg";
import type { LeadCounts, MetricWeek } from "../../domain/digest-model.ts";
import type { MetricStage } from "../../domain/metrics.ts";
import { type IsoWeek, weekStartDate } from "../../domain/week.ts";
import type { Db } from "../client-or-transaction.ts";
import { Prisma } from "../generated/client.ts";

// SQL aggregates behind the weekly figures: the database counts, so no figure ever needs every
// lead in memory. Bounds are instants: [start, end) of an ISO week in the workspace's timezone.

export interface ReasonCount {
  campaignKey: string | null;
  reason: string;
  count: number;
}

/** A week's leads per campaign with their verdicts, and the reasons of the not_fit ones. */
export interface VerdictFigures {
  leadCounts: LeadCounts[];
  reasonCounts: ReasonCount[];
}

export interface WeekBounds {
  start: Date;
  end: Date;
}

export class FigureRepository {
  constructor(
    private readonly db: Db,
    /** `metricWeeks` runs here, on a connection of its own, even when `db` is a transaction. */
    private readonly pool: pg.Pool,
  ) {}

  /** Leads created in the week per campaign, with their verdicts (see verdictFigures). */
  async leadCountsByCampaign(workspaceId: string, week: WeekBounds): Promise<LeadCounts[]> {
    return (await this.verdictFigures(workspaceId, week)).leadCounts;
  }

  /**
   * Leads created in the week, per campaign, with the verdict each had at the week's end (the
   * newest given before it, so a past week always gives the same answer), and the reasons of the
   * not_fit ones, most frequent first. One query: each lead's verdict is one look in the feedback
   * index (a join on all feedback made PostgreSQL read and hash every verdict ever given).
   */
  async verdictFigures(workspaceId: string, week: WeekBounds): Promise<VerdictFigures> {
    const rows = await this.db.$queryRaw<
      {
        part: number;
        campaignKey: string | null;
        reason: string | null;
        created: bigint;
        reviewed: bigint;
        fit: bigint;
        notYet: bigint;
        notFit: bigint;
        rejectedDespiteDefinition: bigint;
      }[]
    >`
      with week_verdicts as materialized (
        select l."campaignId", v.verdict, v."definitionStatus", v.reasons
        from lead l
        left join lateral (
          select f.verdict, f."definitionStatus", f.reasons from lead_feedback f
          where f."leadId" = l.id and f."givenAt" < ${week.end}
          order by f."givenAt" desc, f.id desc
          limit 1
        ) v on true
        where l."workspaceId" = ${workspaceId} and l."createdAt" >= ${week.start} and l."createdAt" < ${week.end}
      )
      select * from (
        select 0 as part, c.key as "campaignKey", null::text as reason,
          count(*) as created,
          count(w.verdict) as reviewed,
          count(*) filter (where w.verdict = 'fit') as fit,
          count(*) filter (where w.verdict = 'not_yet') as "notYet",
          count(*) filter (where w.verdict = 'not_fit') as "notFit",
          count(*) filter (where w.verdict = 'not_fit' and w."definitionStatus" = 'met') as "rejectedDespiteDefinition"
        from week_verdicts w
        left join campaign c on c.id = w."campaignId"
        group by c.key
        union all
        select 1, c.key, r.reason, count(*), 0, 0, 0, 0, 0
        from week_verdicts w
        left join campaign c on c.id = w."campaignId"
        cross join lateral unnest(w.reasons) as r(reason)
        where w.verdict = 'not_fit'
        group by c.key, r.reason
      ) figures
      order by part, (case when part = 0 then "campaignKey" end) nulls last, created desc, reason`;
    const leadCounts: LeadCounts[] = [];
    const reasonCounts: ReasonCount[] = [];
    for (const r of rows) {
      if (r.reason === null) {
        leadCounts.push({
          campaignKey: r.campaignKey,
          created: Number(r.created),
          reviewed: Number(r.reviewed),
          fit: Number(r.fit),
          notYet: Number(r.notYet),
          notFit: Number(r.notFit),
          rejectedDespiteDefinition: Number(r.rejectedDespiteDefinition),
        });
      } else {
        reasonCounts.push({
          campaignKey: r.campaignKey,
          reason: r.reason,
          count: Number(r.created),
        });
      }
    }
    return { leadCounts, reasonCounts };
  }

  /** A metric's figure for one ISO week per campaign key ("" = company-wide), as metricWeeks gives it. */
  async weekMetricByCampaign(
    workspaceId: string,
    metricKey: string,
    week: IsoWeek,
  ): Promise<Map<string, number>> {
    const rows = await this.metricWeeks(
      workspaceId,
      { keys: [metricKey] },
      { first: week, last: week },
    );
    return new Map(rows.map((r) => [r.campaignKey, r.value]));
  }

  /**
   * Weekly figures of some metrics (by key, and every metric in use of some stages) over a range of ISO
   * weeks, per campaign key ("" = company-wide): for each campaign and week the weekly value when
   * there is one, else the daily values of that week aggregated as the metric says. Several
   * sources are combined the same way. With `campaignKey`, only that campaign's figures (a
   * campaign's digest reads no other).
   *
   * On the pool, even when `db` is a transaction: a digest reads thousands of these rows, and
   * through Prisma decoding them took twice the CPU. Not prepared: planned each time with its
   * dates, it hashes the groups; a prepared statement's generic plan, blind to the dates, expects
   * a hundred rows and sorts them all instead.
   */
  async metricWeeks(
    workspaceId: string,
    metrics: { keys: readonly string[]; stages?: readonly MetricStage[] },
    weeks: { first: IsoWeek; last: IsoWeek },
    campaignKey: string | null = null,
  ): Promise<MetricWeek[]> {
    const stages = metrics.stages ?? [];
    if (metrics.keys.length === 0 && stages.length === 0) return [];
    const { rows } = await this.pool.query<Omit<MetricWeek, "value"> & { value: string }>({
      text: `
      with m as (
        select id, key, aggregation from metric_definition
        where "workspaceId" = $1
          and (key = any($2::text[]) or (stage::text = any($3::text[]) and "retiredAt" is null))
      ), v as not materialized (
        select m.key as metric_key, m.aggregation, mv."campaignKey" as campaign_key,
          mv.granularity = 'week' as weekly,
          (case when mv.granularity = 'week' then mv."periodStart" else date_trunc('week', mv."periodStart")::date end) as week_start,
          mv."periodStart" as period_start, mv.value, mv."updatedAt" as updated_at
        from metric_value mv join m on m.id = mv."metricId"
        where mv."workspaceId" = $1
          -- Both bounds are Mondays: the days of the weeks asked for, and weekly values of those
          -- Mondays. Said on the column, not on week_start, whose range the planner cannot
          -- estimate (it expected 42 rows of 8,400, and sorted instead of hashing).
          and mv."periodStart" between $4::date and $5::date + 6
          and (mv.granularity = 'day' or mv."periodStart" <= $5::date)
          and ($6::text is null or mv."campaignKey" = $6)
      )
      -- A week's weekly values win over its daily ones. Sums and averages in one pass; each
      -- aggregate is fed only its metrics' values.
      select metric_key as "metricKey", campaign_key as "campaignKey",
        to_char(week_start, 'YYYY-MM-DD') as "weekStart",
        coalesce(
          sum(value) filter (where aggregation = 'sum' and weekly),
          sum(value) filter (where aggregation = 'sum'),
          avg(value) filter (where aggregation = 'average' and weekly),
          avg(value) filter (where aggregation = 'average')
        )::text as value
      from v where aggregation <> 'last'
      group by metric_key, aggregation, campaign_key, week_start
      union all
      -- "last": the newest value, weekly first. Apart, so no group of the others sorts its values.
      select * from (
        select distinct on (metric_key, campaign_key, week_start) metric_key, campaign_key,
          to_char(week_start, 'YYYY-MM-DD'), value::text
        from v where aggregation = 'last'
        order by metric_key, campaign_key, week_start, weekly desc, period_start desc, updated_at desc
      ) newest`,
      values: [
        workspaceId,
        metrics.keys,
        stages,
        weekStartDate(weeks.first),
        weekStartDate(weeks.last),
        campaignKey,
      ],
    });
    return rows.map((r) => ({
      metricKey: r.metricKey,
      campaignKey: r.campaignKey,
      weekStart: r.weekStart,
      value: Number(r.value),
    }));
  }

  /**
   * Leads unreviewed past the SLA at `at`: created before at − SLA, no verdict given before `at`.
   * Read from the leads' first verdict times (index-only, in two ranges: never judged, and judged
   * first at or after `at`) rather than by checking every lead of the workspace for a verdict.
   */
  async overdueAt(
    workspaceId: string,
    at: Date,
    slaHours: number,
    campaignKey: string | null,
  ): Promise<number> {
    const cutoff = new Date(at.getTime() - slaHours * 3_600_000);
    const due = Prisma.sql`l."workspaceId" = ${workspaceId} and l."createdAt" < ${cutoff}
      and (${campaignKey}::text is null or l."campaignId" =
        (select id from campaign where "workspaceId" = ${workspaceId} and key = ${campaignKey}))`;
    const [row] = await this.db.$queryRaw<{ n: bigint }[]>`
      select (select count(*) from lead l where ${due} and l."firstVerdictAt" is null)
        + (select count(*) from lead l where ${due} and l."firstVerdictAt" >= ${at}) as n`;
    return Number(row?.n ?? 0);
  }
}
