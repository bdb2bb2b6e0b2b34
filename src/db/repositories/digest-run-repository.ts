import { randomUUID } from "node:crypto";
import type { DigestRun, RunStatus } from "../../domain/digest-schedule.ts";
import { formatIsoWeek, type IsoWeek, parseIsoWeek } from "../../domain/week.ts";
import type { Db } from "../client-or-transaction.ts";

type RunRow = Omit<DigestRun, "week" | "status"> & { week: string; status: string };

function toRun(row: RunRow): DigestRun {
  return { ...row, week: parseIsoWeek(row.week), status: row.status as RunStatus };
}

/** A failed run with where it was meant to go, for admins. */
export interface FailedRun {
  run: DigestRun;
  channelId: string;
}

/** The scheduled digests' runs: (schedule, reported week) is claimed once, by one replica. */
export class DigestRunRepository {
  constructor(private readonly db: Db) {}

  /**
   * Claims the run of a schedule for a week, in one statement: a new run; a failed one whose retry
   * time has come; or one claimed by a process that stopped before finishing (claimed before
   * `staleBefore`). Undefined when the run is someone else's or settled.
   */
  async claim(input: {
    scheduleId: string;
    week: IsoWeek;
    late: boolean;
    now: Date;
    staleBefore: Date;
  }): Promise<DigestRun | undefined> {
    const { scheduleId, late, now, staleBefore } = input;
    const week = formatIsoWeek(input.week);
    const rows = await this.db.$queryRaw<RunRow[]>`
      insert into digest_run (id, "scheduleId", week, status, late, attempts, "createdAt", "updatedAt")
      values (${randomUUID()}, ${scheduleId}, ${week}, 'claimed', ${late}, 1, ${now}, ${now})
      on conflict ("scheduleId", week) do update
        set status = 'claimed', attempts = digest_run.attempts + 1, "retryAt" = null, "updatedAt" = ${now}
        where (digest_run.status = 'failed' and digest_run."retryAt" <= ${now})
           or (digest_run.status = 'claimed' and digest_run."updatedAt" < ${staleBefore})
      returning id, "scheduleId", week, status::text, late, "messageTs", error, attempts, "retryAt",
        "createdAt", "updatedAt"`;
    return rows[0] ? toRun(rows[0]) : undefined;
  }

  /** Records that a week is skipped (once; a run already there stays as it is). */
  async skip(scheduleId: string, week: IsoWeek, now: Date): Promise<void> {
    await this.db.digestRun.createMany({
      data: [{ scheduleId, week: formatIsoWeek(week), status: "skipped", createdAt: now }],
      skipDuplicates: true,
    });
  }

  async markPosted(id: string, messageTs: string): Promise<void> {
    await this.db.digestRun.update({
      where: { id },
      data: { status: "posted", messageTs, error: null, retryAt: null },
    });
  }

  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.db.digestRun.update({
      where: { id },
      data: { status: "failed", error, retryAt },
    });
  }

  /**
   * The schedules with a run to take up again: failed with its retry time come, or claimed by a
   * process that stopped (claimed before `staleBefore`).
   */
  async retryable(now: Date, staleBefore: Date): Promise<string[]> {
    const rows = await this.db.digestRun.findMany({
      where: {
        OR: [
          { status: "failed", retryAt: { lte: now } },
          { status: "claimed", updatedAt: { lt: staleBefore } },
        ],
      },
      select: { scheduleId: true },
      distinct: ["scheduleId"],
    });
    return rows.map((row) => row.scheduleId);
  }

  /** The newest run of each of the workspace's schedules. */
  async latest(
    workspaceId: string,
    scheduleIds: readonly string[],
  ): Promise<Map<string, DigestRun>> {
    if (scheduleIds.length === 0) return new Map();
    const rows = await this.db.digestRun.findMany({
      where: { scheduleId: { in: [...scheduleIds] }, schedule: { workspaceId } },
      distinct: ["scheduleId"],
      orderBy: [{ scheduleId: "asc" }, { week: "desc" }],
    });
    return new Map(rows.map((row) => [row.scheduleId, toRun(row)]));
  }

  /** A workspace's failed runs, newest first. */
  async failures(workspaceId: string, limit: number): Promise<FailedRun[]> {
    const rows = await this.db.digestRun.findMany({
      where: { status: "failed", schedule: { workspaceId } },
      include: { schedule: { select: { channelId: true } } },
      orderBy: { updatedAt: "desc" },
      take: limit,
    });
    return rows.map(({ schedule, ...row }) => ({ run: toRun(row), channelId: schedule.channelId }));
  }

  /** Lets the scheduler try a failed run of this workspace again now; false when there is none. */
  async retryNow(workspaceId: string, id: string, now: Date): Promise<boolean> {
    const { count } = await this.db.digestRun.updateMany({
      where: { id, status: "failed", schedule: { workspaceId } },
      data: { retryAt: now },
    });
    return count > 0;
  }
}
