import type { BacktestLead } from "../../domain/definition-backtest.ts";
import type { FieldValue } from "../../domain/definition-rules.ts";
import type {
  CameBack,
  HindsightGroup,
  HindsightVerdict,
  MedianDaysToOpportunity,
  ReasonHindsight,
  RejectedThenBoughtLead,
  SpendGroup,
} from "../../domain/hindsight.ts";
import { atomically, type Db } from "../client-or-transaction.ts";

/** The leads of a period, cut into cohorts: `bounds[i]` is the instant cohort `starts[i]` begins. */
export interface HindsightScope {
  workspaceId: string;
  /** First days of the cohorts, "YYYY-MM-DD", in order. */
  starts: readonly string[];
  /** Local midnight of each cohort's first day, in order. */
  bounds: readonly Date[];
  /** The period: leads created from `from` (included) to `to` (excluded). */
  from: Date;
  to: Date;
  /** The period's first and last day, for the spend metric's days and weeks. */
  since: string;
  until: string;
  /** Only this campaign's leads and spend; null for all. */
  campaignKey: string | null;
}

// Each lead of the scope once (facts), with its cohort, its outcomes summed up and its verdict for
// hindsight: the newest verdict given before its first outcome (any verdict when it has none).
// Every figure is then grouped from those facts in the same statement, so the period's leads are
// read once, and no lead's row leaves the database but the listed rejected-then-bought ones: the
// median days to opportunity is the mean of the lower and upper middle values (percentile_disc
// over each order), exactly as the mean of the two middle values of a sorted list. The period's leads are read from the table in each part (not from a shared CTE):
// PostgreSQL cannot estimate a CTE's rows, and the wrong estimates chose nested loops over 50,000
// leads. $1 workspace, $2 from, $3 to, $4 campaign key or null, $5 cohort bounds, $6 cohort
// starts, $7 how many rejected-then-bought leads to list.
const SCOPED = `l."workspaceId" = $1 and l."createdAt" >= $2 and l."createdAt" < $3
  and ($4::text is null or l."campaignId" = (select id from campaign where "workspaceId" = $1 and key = $4))`;
const HINDSIGHT_FIGURES = `
  with outcomes as (
    select o."leadId" as lead_id, min(o.at) as first_at, bool_or(o.type = 'won') as won,
      coalesce(sum(o.amount) filter (where o.type = 'won'), 0) as won_amount
    from outcome o join lead l on l.id = o."leadId"
    where ${SCOPED}
    group by o."leadId"
  ), verdicts as (
    select distinct on (f."leadId") f."leadId" as lead_id, f.verdict, f.reasons, f."userId",
      f."givenAt", f."definitionStatus"
    from lead_feedback f join lead l on l.id = f."leadId"
    left join outcomes o on o.lead_id = f."leadId"
    where ${SCOPED} and (o.first_at is null or f."givenAt" < o.first_at)
    order by f."leadId", f."givenAt" desc, f.id desc
  ), facts as materialized (
    select l.id, l."createdAt", c.key as campaign_key,
      ($6::date[])[width_bucket(l."createdAt", $5::timestamp[])] as cohort_start,
      v.verdict, v.reasons, v."userId" as rep, v."givenAt" as judged_at,
      v."definitionStatus" = 'met' as met_definition, o.first_at, coalesce(o.won, false) as won,
      coalesce(o.won_amount, 0) as won_amount
    from lead l left join campaign c on c.id = l."campaignId"
    left join verdicts v on v.lead_id = l.id left join outcomes o on o.lead_id = l.id
    where ${SCOPED}
  )
  select
    (select coalesce(json_agg(g), '[]') from (
      select campaign_key as "campaignKey", cohort_start as "cohortStart", verdict,
        coalesce(met_definition, false) as "metDefinition", rep, count(*) as leads,
        count(first_at) as "reachedOpportunity", count(*) filter (where won) as won,
        sum(won_amount) as "wonAmount"
      from facts
      group by 1, 2, 3, 4, 5) g) as groups,
    (select coalesce(json_agg(m), '[]') from (
      select grouping(campaign_key) = 0 as "perCampaign", grouping(cohort_start) = 0 as "perCohort",
        coalesce(campaign_key, '') as "campaignKey", cohort_start as "cohortStart",
        (percentile_disc(0.5) within group (order by days)
          + percentile_disc(0.5) within group (order by days desc)) / 2 as days
      from (select campaign_key, cohort_start,
          extract(epoch from first_at - "createdAt")::float8 / 86400 as days
        from facts where first_at is not null) d
      group by grouping sets ((campaign_key), (cohort_start), ())) m) as medians,
    (select coalesce(json_agg(r order by r.reason), '[]') from (
      select reason, count(*) as leads, count(first_at) as "reachedOpportunity",
        count(*) filter (where won) as won
      from facts, unnest(reasons) as reason
      where verdict = 'not_fit'
      group by reason) r) as reasons,
    (select coalesce(json_agg(t), '[]') from (
      select l."externalId", l.email, l.company, f.campaign_key as "campaignKey", f.reasons,
        f.rep as "judgedBy", f.judged_at as "judgedAt", f.first_at as "firstOutcomeAt", f.won,
        f.won_amount as "wonAmount"
      from (select * from facts where verdict = 'not_fit' and first_at is not null
        order by won_amount desc, first_at, id limit $7) f
      join lead l on l.id = f.id
      order by f.won_amount desc, f.first_at, f.id) t) as "rejectedThenBought"`;

/** How long the figures' read-only transaction may take (Prisma's default is 5 s). */
const FIGURES_TIMEOUT_MS = 60_000;

/** Every lead-based figure of a scope, from one pass over its leads. */
export interface HindsightFacts {
  groups: HindsightGroup[];
  medianDaysToOpportunity: MedianDaysToOpportunity;
  reasons: ReasonHindsight[];
  rejectedThenBought: RejectedThenBoughtLead[];
}

export interface HindsightSettings {
  conversionWindowDays: number;
  perRep: boolean;
}

export class HindsightRepository {
  constructor(private readonly db: Db) {}

  async settings(workspaceId: string): Promise<HindsightSettings | undefined> {
    const row = await this.db.workspace.findUnique({
      where: { id: workspaceId },
      select: { conversionWindowDays: true, hindsightPerRep: true },
    });
    if (!row) return undefined;
    return { conversionWindowDays: row.conversionWindowDays, perRep: row.hindsightPerRep };
  }

  async saveSettings(workspaceId: string, settings: HindsightSettings): Promise<void> {
    await this.db.workspace.update({
      where: { id: workspaceId },
      data: {
        conversionWindowDays: settings.conversionWindowDays,
        hindsightPerRep: settings.perRep,
      },
    });
  }

  /**
   * The scope's leads summed up by campaign, cohort, verdict for hindsight, snapshot and rep; per
   * reason of their not-a-fit verdicts; and the first `listed` rejected-then-bought leads, the
   * biggest wins first.
   */
  async facts(scope: HindsightScope, listed: number): Promise<HindsightFacts> {
    // JIT compiling this plan cost PostgreSQL more than a second, several times what it saves;
    // `set local` needs a transaction, given the time a year of a big workspace takes.
    const [row] = await atomically(
      this.db,
      async (tx) => {
        await tx.$executeRawUnsafe("set local jit = off");
        return tx.$queryRawUnsafe<
          {
            groups: (Omit<HindsightGroup, "verdict"> & { verdict: HindsightVerdict | null })[];
            medians: {
              perCampaign: boolean;
              perCohort: boolean;
              campaignKey: string;
              cohortStart: string;
              days: number;
            }[];
            reasons: ReasonHindsight[];
            rejectedThenBought: (Omit<RejectedThenBoughtLead, "judgedAt" | "firstOutcomeAt"> & {
              judgedAt: string;
              firstOutcomeAt: string;
            })[];
          }[]
        >(
          HINDSIGHT_FIGURES,
          scope.workspaceId,
          scope.from,
          scope.to,
          scope.campaignKey,
          scope.bounds.map((b) => b.toISOString()),
          scope.starts,
          Math.max(0, Math.floor(listed)),
        );
      },
      (client, work) => client.$transaction(work, { timeout: FIGURES_TIMEOUT_MS }),
    );
    if (!row) throw new Error("hindsight figures: the query returned no row");
    return {
      groups: row.groups.map((g) => ({ ...g, verdict: g.verdict ?? "none" })),
      medianDaysToOpportunity: {
        total: row.medians.find((m) => !m.perCampaign && !m.perCohort)?.days ?? null,
        campaigns: new Map(
          row.medians.filter((m) => m.perCampaign).map((m) => [m.campaignKey, m.days]),
        ),
        cohorts: new Map(
          row.medians.filter((m) => m.perCohort).map((m) => [m.cohortStart, m.days]),
        ),
      },
      reasons: row.reasons,
      rejectedThenBought: row.rejectedThenBought.map((r) => ({
        ...r,
        judgedAt: utc(r.judgedAt),
        firstOutcomeAt: utc(r.firstOutcomeAt),
      })),
    };
  }

  /** The scope's leads that came back from not yet, and how many of them reached an opportunity. */
  async cameBack(scope: HindsightScope): Promise<CameBack> {
    const [row] = await this.db.$queryRawUnsafe<CameBack[]>(
      `select count(*)::int as leads,
        (count(*) filter (where exists (select from outcome o where o."leadId" = l.id)))::int
          as "reachedOpportunity"
      from lead l
      where ${SCOPED}
        and exists (
          select from lead_feedback f where f."leadId" = l.id and f."cameBackAt" is not null)`,
      scope.workspaceId,
      scope.from,
      scope.to,
      scope.campaignKey,
    );
    return row ?? { leads: 0, reachedOpportunity: 0 };
  }

  /**
   * One page of the leads created from `from` (included) to `to` (excluded), oldest first, after
   * the lead `after` (its creation time and id), with what became of each: for a definition's
   * backtest, which reads every lead's fields and so pages through them.
   */
  async backtestLeads(input: {
    workspaceId: string;
    from: Date;
    to: Date;
    after: { createdAt: Date; id: string } | null;
    limit: number;
  }): Promise<(BacktestLead & { id: string; createdAt: Date })[]> {
    const rows = await this.db.$queryRawUnsafe<
      {
        id: string;
        createdAt: Date;
        email: string;
        title: string | null;
        company: string | null;
        fields: Record<string, FieldValue>;
        reached: boolean;
        won: boolean;
        wonAmount: string;
      }[]
    >(
      `select l.id, l."createdAt", l.email, l.title, l.company, l.fields, o.reached,
        coalesce(o.won, false) as won, o.won_amount::text as "wonAmount"
      from lead l
      cross join lateral (
        select count(*) > 0 as reached, bool_or(type = 'won') as won,
          coalesce(sum(amount) filter (where type = 'won'), 0) as won_amount
        from outcome where "leadId" = l.id
      ) o
      where l."workspaceId" = $1 and l."createdAt" >= $2 and l."createdAt" < $3
        and ($4::timestamp is null or (l."createdAt", l.id) > ($4::timestamp, $5::text))
      order by l."createdAt", l.id
      limit ${Math.max(1, Math.floor(input.limit))}`,
      input.workspaceId,
      input.from,
      input.to,
      input.after?.createdAt ?? null,
      input.after?.id ?? null,
    );
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      email: r.email,
      title: r.title,
      company: r.company,
      fields: r.fields,
      reachedOpportunity: r.reached,
      won: r.won,
      wonAmount: Number(r.wonAmount),
    }));
  }

  /**
   * The `spend` metric per campaign key ("" = company-wide) and cohort: values whose day (or week's
   * Monday) falls in the period; a week's weekly value wins over its daily ones, as in the digest.
   */
  async spend(scope: HindsightScope): Promise<SpendGroup[]> {
    const rows = await this.db.$queryRawUnsafe<
      { campaignKey: string; cohortStart: Date; spend: string }[]
    >(
      `with v as (
        select mv."campaignKey", mv.granularity, mv."periodStart", mv.value,
          bool_or(mv.granularity = 'week') over (
            partition by mv."campaignKey",
              case when mv.granularity = 'week' then mv."periodStart" else date_trunc('week', mv."periodStart")::date end
          ) as has_weekly
        from metric_value mv join metric_definition m on m.id = mv."metricId"
        where mv."workspaceId" = $1 and m.key = 'spend'
          and mv."periodStart" between $2::date and $3::date
          and ($4::text is null or mv."campaignKey" = $4)
      )
      select "campaignKey", ($5::date[])[width_bucket("periodStart", $5::date[])] as "cohortStart",
        sum(value)::text as spend
      from v
      where granularity = 'week' or not has_weekly
      group by 1, 2`,
      scope.workspaceId,
      scope.since,
      scope.until,
      scope.campaignKey,
      scope.starts,
    );
    return rows.map((r) => ({
      campaignKey: r.campaignKey,
      cohortStart: r.cohortStart.toISOString().slice(0, 10),
      spend: Number(r.spend),
    }));
  }
}

/** A `timestamp` column read through JSON ("2026-03-11T10:00:00", no zone): stored in UTC. */
function utc(value: string): Date {
  return new Date(`${value}Z`);
}
