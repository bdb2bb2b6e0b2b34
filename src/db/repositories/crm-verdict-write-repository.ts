import type { CrmKind } from "../../domain/crm-connection.ts";
import type { CrmWriteStatus, FailedCrmWrite } from "../../domain/crm-verdict-write.ts";
import type { DefinitionCheckStatus, Verdict } from "../../domain/verdict.ts";
import type { Db } from "../client-or-transaction.ts";

/** How long a claimed write is held before another drain may take it (a crashed one's runs out). */
export const CRM_WRITE_CLAIM_MS = 60_000;

/** A claimed write with the verdict it writes and the CRM record it goes to. */
export interface DueCrmWrite {
  feedbackId: bigint;
  workspaceId: string;
  crm: CrmKind;
  /** The lead's id in the CRM. */
  recordId: string;
  attempts: number;
  verdict: Verdict;
  reasons: string[];
  userId: string;
  givenAt: Date;
  definitionStatus: DefinitionCheckStatus;
}

/**
 * Verdicts waiting to be written back to the CRM, queued with the verdict itself
 * (FeedbackRepository.record), so none is lost between the verdict and the write.
 */
export class CrmVerdictWriteRepository {
  constructor(private readonly db: Db) {}

  /** Whether any write is due: a cheap look before the CRM clients are loaded. */
  async anyDue(now: Date): Promise<boolean> {
    const due = await this.db.crmVerdictWrite.findFirst({
      where: { status: "pending", nextAttemptAt: { lte: now } },
      select: { feedbackId: true },
    });
    return due !== null;
  }

  /**
   * Due writes, claimed in one statement (held for `claimMs`) so two drains never share one. Only
   * a lead's oldest waiting write is due: its verdicts reach the CRM in the order they were given.
   */
  async claim(now: Date, limit: number, claimMs = CRM_WRITE_CLAIM_MS): Promise<DueCrmWrite[]> {
    const lease = new Date(now.getTime() + claimMs);
    return this.db.$queryRaw<DueCrmWrite[]>`
      with claimed as (
        update crm_verdict_write set "nextAttemptAt" = ${lease}, attempts = attempts + 1
        where "feedbackId" in (
          select w."feedbackId" from crm_verdict_write w
          where w.status = 'pending' and w."nextAttemptAt" <= ${now}
            and not exists (
              select from crm_verdict_write earlier
              where earlier."leadId" = w."leadId" and earlier.status = 'pending'
                and earlier."feedbackId" < w."feedbackId")
          order by w."feedbackId" limit ${limit}
          for update skip locked)
        returning "feedbackId", "workspaceId", "leadId", crm, attempts)
      select claimed."feedbackId", claimed."workspaceId", claimed.crm::text as crm,
        l."externalId" as "recordId", claimed.attempts, f.verdict::text as verdict, f.reasons,
        f."userId", f."givenAt", f."definitionStatus"::text as "definitionStatus"
      from claimed
        join lead_feedback f on f.id = claimed."feedbackId"
        join lead l on l.id = f."leadId"
      order by claimed."feedbackId"`;
  }

  /**
   * The CRM took the write: marked written and counted on the connection in one statement, once
   * (a write already marked, by a drain whose lease ran out meanwhile, is not counted again).
   */
  async markWritten(feedbackId: bigint, at: Date): Promise<void> {
    await this.db.$executeRaw`
      with written as (
        update crm_verdict_write set status = 'sent', "writtenAt" = ${at}, "lastError" = null
        where "feedbackId" = ${feedbackId} and status = 'pending'
        returning "workspaceId")
      update crm_connection c set "verdictsWritten" = c."verdictsWritten" + 1
      from written where c."workspaceId" = written."workspaceId"`;
  }

  async retryLater(feedbackId: bigint, error: string, at: Date): Promise<void> {
    await this.db.crmVerdictWrite.updateMany({
      where: { feedbackId, status: "pending" },
      data: { nextAttemptAt: at, lastError: error },
    });
  }

  async markFailed(feedbackId: bigint, error: string): Promise<void> {
    await this.db.crmVerdictWrite.updateMany({
      where: { feedbackId, status: "pending" },
      data: { status: "failed", lastError: error },
    });
  }

  /** Failed writes of the workspace are tried again now, from their first attempt; how many. */
  async retryFailed(workspaceId: string, now: Date): Promise<number> {
    const { count } = await this.db.crmVerdictWrite.updateMany({
      where: { workspaceId, status: "failed" },
      data: { status: "pending", attempts: 0, nextAttemptAt: now },
    });
    return count;
  }

  /** What admins see on App Home and in `leadfit crm status`. */
  async status(workspaceId: string): Promise<CrmWriteStatus> {
    const groups = await this.db.crmVerdictWrite.groupBy({
      by: ["status"],
      where: { workspaceId },
      _count: { _all: true },
    });
    const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
    return { pending: count("pending"), written: count("sent"), failed: count("failed") };
  }

  /** The newest failed writes, with their lead and the CRM's message. */
  async failures(workspaceId: string, limit: number): Promise<FailedCrmWrite[]> {
    const rows = await this.db.crmVerdictWrite.findMany({
      where: { workspaceId, status: "failed" },
      select: {
        lastError: true,
        feedback: { select: { verdict: true, givenAt: true, lead: { select: { email: true } } } },
      },
      orderBy: { feedbackId: "desc" },
      take: limit,
    });
    return rows.map((r) => ({
      email: r.feedback.lead.email,
      verdict: r.feedback.verdict,
      givenAt: r.feedback.givenAt,
      lastError: r.lastError,
    }));
  }
}
