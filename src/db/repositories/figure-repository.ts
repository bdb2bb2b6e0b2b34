import type { LeadCounts, MetricWeek } from "../../domain/digest-model.ts";
import type { MetricStage } from "../../domain/metrics.ts";
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
  constructor(private readonly db: Db) {}

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
    weekStartDate: string,
  ): Promise<Map<string, number>> {
    const rows = await this.metricWeeks(
      workspaceId,
      { keys: [metricKey] },
      weekStartDate,
      weekStartDate,
    );
    return new Map(rows.map((r) => [r.campaignKey, r.value]));
  }

  /**
   * Weekly figures of some metrics (by key, and every metric in use of some stages) over a range of ISO
   * weeks, per campaign key ("" = company-wide): for each campaign and week the weekly value when
   * there is one, else the daily values of that week aggregated as the metric says. Several
   * sources are combined the same way.
   */
  async metricWeeks(
    workspaceId: string,
    metrics: { keys: readonly string[]; stages?: readonly MetricStage[] },
    firstMonday: string,
    lastMonday: string,
  ): Promise<MetricWeek[]> {
    const stages = metrics.stages ?? [];
    if (metrics.keys.length === 0 && stages.length === 0) return [];
    const rows = await this.db.$queryRaw<
      { metricKey: string; campaignKey: string; weekStart: Date; value: string }[]
    >`
      with m as (
        select id, key, aggregation from metric_definition
        where "workspaceId" = ${workspaceId}
          and (key = any(${[...metrics.keys]}::text[])
            or (stage::text = any(${[...stages]}::text[]) and "retiredAt" is null))
      ), v as (
        select m.key as metric_key, m.aggregation, mv."campaignKey" as campaign_key, mv.granularity,
          (case when mv.granularity = 'week' then mv."periodStart" else date_trunc('week', mv."periodStart")::date end) as week_start,
          mv."periodStart" as period_start, mv.value, mv."updatedAt" as updated_at
        from metric_value mv join m on m.id = mv."metricId"
        where mv."workspaceId" = ${workspaceId}
          and mv."periodStart" between ${firstMonday}::date and ${lastMonday}::date + 6
      ), chosen as (
        -- A week's weekly values win over its daily ones. One pass with a window function: an
        -- anti-join on the CTE made the planner expect millions of rows and JIT-compile for 0.6 s.
        select v.*, bool_or(v.granularity = 'week')
          over (partition by v.metric_key, v.campaign_key, v.week_start) as has_weekly
        from v
      )
      select metric_key as "metricKey", campaign_key as "campaignKey", week_start as "weekStart",
        -- Only the aggregate the metric asks for is fed: a case over all three computed each, and
        -- sorted every group's values for "last", taking half the query's time.
        coalesce(
          sum(value) filter (where aggregation = 'sum'),
          avg(value) filter (where aggregation = 'average'),
          (array_agg(value order by period_start desc, updated_at desc) filter (where aggregation = 'last'))[1]
        )::text as value
      from chosen
      where (granularity = 'week' or not has_weekly)
        and week_start between ${firstMonday}::date and ${lastMonday}::date
      group by metric_key, campaign_key, week_start`;
    return rows.map((r) => ({
      metricKey: r.metricKey,
      campaignKey: r.campaignKey,
      weekStart: r.weekStart.toISOString().slice(0, 10),
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
