import type {
  HindsightGroup,
  HindsightVerdict,
  ReasonGroup,
  RejectedThenBoughtLead,
  SpendGroup,
} from "../../domain/hindsight.ts";
import type { Db } from "../db.ts";

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

// Each lead of the scope once, with its cohort, its outcomes summed up and its verdict for
// hindsight: the newest verdict given before its first outcome (any verdict when it has none).
// $1 workspace, $2 from, $3 to, $4 campaign key or null, $5 cohort bounds, $6 cohort starts.
const SCOPED_LEADS = `
  with scoped as (
    select l.id, l."externalId", l.email, l.company, l."createdAt", c.key as campaign_key,
      ($6::date[])[width_bucket(l."createdAt", $5::timestamp[])] as cohort_start
    from lead l left join campaign c on c.id = l."campaignId"
    where l."workspaceId" = $1 and l."createdAt" >= $2 and l."createdAt" < $3
      and ($4::text is null or c.key = $4)
  ), outcomes as (
    select o."leadId" as lead_id, min(o.at) as first_at, bool_or(o.type = 'won') as won,
      coalesce(sum(o.amount) filter (where o.type = 'won'), 0) as won_amount
    from outcome o join scoped s on s.id = o."leadId"
    group by o."leadId"
  ), verdicts as (
    select distinct on (f."leadId") f."leadId" as lead_id, f.verdict, f.reasons, f."userId",
      f."givenAt", f."definitionStatus"
    from lead_feedback f join scoped s on s.id = f."leadId"
    left join outcomes o on o.lead_id = f."leadId"
    where o.first_at is null or f."givenAt" < o.first_at
    order by f."leadId", f."givenAt" desc, f.id desc
  ), facts as (
    select s.*, v.verdict, v.reasons, v."userId" as rep, v."givenAt" as judged_at,
      v."definitionStatus" = 'met' as met_definition, o.first_at, coalesce(o.won, false) as won,
      coalesce(o.won_amount, 0) as won_amount
    from scoped s left join verdicts v on v.lead_id = s.id left join outcomes o on o.lead_id = s.id
  )`;

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

  private params(scope: HindsightScope): unknown[] {
    return [
      scope.workspaceId,
      scope.from,
      scope.to,
      scope.campaignKey,
      scope.bounds.map((b) => b.toISOString()),
      scope.starts,
    ];
  }

  /** The scope's leads summed up by campaign, cohort, verdict for hindsight, snapshot and rep. */
  async groups(scope: HindsightScope): Promise<HindsightGroup[]> {
    const rows = await this.db.$queryRawUnsafe<
      {
        campaignKey: string | null;
        cohortStart: Date;
        verdict: HindsightVerdict | null;
        metDefinition: boolean | null;
        rep: string | null;
        leads: bigint;
        reached: bigint;
        won: bigint;
        wonAmount: string;
        days: number[] | null;
      }[]
    >(
      `${SCOPED_LEADS}
      select campaign_key as "campaignKey", cohort_start as "cohortStart", verdict::text as verdict,
        coalesce(met_definition, false) as "metDefinition", rep, count(*) as leads,
        count(first_at) as reached, count(*) filter (where won) as won,
        sum(won_amount)::text as "wonAmount",
        array_agg(extract(epoch from first_at - "createdAt")::float8 / 86400)
          filter (where first_at is not null) as days
      from facts
      group by 1, 2, 3, 4, 5`,
      ...this.params(scope),
    );
    return rows.map((r) => ({
      campaignKey: r.campaignKey,
      cohortStart: r.cohortStart.toISOString().slice(0, 10),
      verdict: r.verdict ?? "none",
      metDefinition: r.metDefinition ?? false,
      rep: r.rep,
      leads: Number(r.leads),
      reachedOpportunity: Number(r.reached),
      won: Number(r.won),
      wonAmount: Number(r.wonAmount),
      daysToOpportunity: r.days ?? [],
    }));
  }

  /** Per reason, the scope's leads whose verdict for hindsight is not_fit citing it. */
  async reasons(scope: HindsightScope): Promise<ReasonGroup[]> {
    const rows = await this.db.$queryRawUnsafe<
      { reason: string; leads: bigint; reached: bigint; won: bigint }[]
    >(
      `${SCOPED_LEADS}
      select reason, count(*) as leads, count(first_at) as reached, count(*) filter (where won) as won
      from facts, unnest(reasons) as reason
      where verdict = 'not_fit'
      group by reason
      order by reason`,
      ...this.params(scope),
    );
    return rows.map((r) => ({
      reason: r.reason,
      leads: Number(r.leads),
      reachedOpportunity: Number(r.reached),
      won: Number(r.won),
    }));
  }

  /** Leads judged not a fit that later reached an opportunity: the biggest wins first. */
  async rejectedThenBought(
    scope: HindsightScope,
    limit: number,
  ): Promise<RejectedThenBoughtLead[]> {
    const rows = await this.db.$queryRawUnsafe<
      {
        externalId: string;
        email: string;
        company: string | null;
        campaignKey: string | null;
        reasons: string[];
        judgedBy: string;
        judgedAt: Date;
        firstOutcomeAt: Date;
        won: boolean;
        wonAmount: string;
      }[]
    >(
      `${SCOPED_LEADS}
      select "externalId", email, company, campaign_key as "campaignKey", reasons, rep as "judgedBy",
        judged_at as "judgedAt", first_at as "firstOutcomeAt", won, won_amount::text as "wonAmount"
      from facts
      where verdict = 'not_fit' and first_at is not null
      order by won_amount desc, first_at, "externalId"
      limit ${Math.max(0, Math.floor(limit))}`,
      ...this.params(scope),
    );
    return rows.map((r) => ({ ...r, wonAmount: Number(r.wonAmount) }));
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
