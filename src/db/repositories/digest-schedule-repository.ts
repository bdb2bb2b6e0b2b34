import { AppError } from "../../domain/app-error.ts";
import {
  type ActiveSchedule,
  type DigestSchedule,
  type ScheduleInput,
  scheduleTimezone,
} from "../../domain/digest-schedule.ts";
import { formatIsoWeek, type IsoWeek, parseIsoWeek } from "../../domain/week.ts";
import { atomically, type Db } from "../client-or-transaction.ts";
import { AuditRepository } from "./audit-repository.ts";

const scheduleSelect = {
  id: true,
  workspaceId: true,
  channelId: true,
  weekday: true,
  time: true,
  cron: true,
  timezone: true,
  enabled: true,
  skipWeek: true,
  createdAt: true,
} as const;

type ScheduleRow = Omit<DigestSchedule, "skipWeek"> & { skipWeek: string | null };

function toSchedule(row: ScheduleRow): DigestSchedule {
  return { ...row, skipWeek: row.skipWeek ? parseIsoWeek(row.skipWeek) : null };
}

function channelTaken(channelId: string): AppError {
  return new AppError(
    "channel_taken",
    `a schedule for ${channelId} exists`,
    `<#${channelId}> already has a digest schedule: edit that one instead.`,
  );
}

function scheduleNotFound(workspaceId: string, id: string): AppError {
  return new AppError(
    "schedule_not_found",
    `no schedule ${id} in ${workspaceId}`,
    "That digest schedule no longer exists.",
  );
}

/** The digest schedules: one per channel of a workspace; every change is audited. */
export class DigestScheduleRepository {
  constructor(private readonly db: Db) {}

  async forWorkspace(workspaceId: string): Promise<DigestSchedule[]> {
    const rows = await this.db.digestSchedule.findMany({
      where: { workspaceId },
      select: scheduleSelect,
      orderBy: { createdAt: "asc" },
    });
    return rows.map(toSchedule);
  }

  /** A schedule of this workspace; an AppError a person can read when there is none. */
  async get(workspaceId: string, id: string): Promise<DigestSchedule> {
    const row = await this.db.digestSchedule.findFirst({
      where: { id, workspaceId },
      select: scheduleSelect,
    });
    if (!row) throw scheduleNotFound(workspaceId, id);
    return toSchedule(row);
  }

  /** Every enabled schedule of an active workspace (or the one with `id`): what the scheduler runs. */
  async enabled(id?: string): Promise<ActiveSchedule[]> {
    const rows = await this.db.digestSchedule.findMany({
      where: { enabled: true, workspace: { active: true }, ...(id ? { id } : {}) },
      select: { ...scheduleSelect, workspace: { select: { timezone: true } } },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(({ workspace, ...row }) => {
      const schedule = toSchedule(row);
      return { schedule, timeZone: scheduleTimezone(schedule, workspace) };
    });
  }

  /** Creates a schedule, or updates the one with `id`; a channel has at most one. */
  async save(
    workspaceId: string,
    actor: string,
    input: ScheduleInput & { id?: string },
  ): Promise<DigestSchedule> {
    const { id, ...data } = input;
    return atomically(this.db, async (tx) => {
      const other = await tx.digestSchedule.findFirst({
        where: { workspaceId, channelId: data.channelId, ...(id ? { NOT: { id } } : {}) },
        select: { id: true },
      });
      if (other) throw channelTaken(data.channelId);
      const row = id
        ? await this.updateOwn(tx, workspaceId, id, data)
        : await tx.digestSchedule.create({
            data: { workspaceId, ...data },
            select: scheduleSelect,
          });
      await new AuditRepository(tx).record(
        workspaceId,
        actor,
        id ? "schedule.updated" : "schedule.created",
        { id: row.id, ...data },
      );
      return toSchedule(row);
    });
  }

  private async updateOwn(
    tx: Db,
    workspaceId: string,
    id: string,
    data: Partial<ScheduleInput> & { skipWeek?: string | null },
  ): Promise<ScheduleRow> {
    const { count } = await tx.digestSchedule.updateMany({ where: { id, workspaceId }, data });
    const row =
      count > 0
        ? await tx.digestSchedule.findUnique({ where: { id, workspaceId }, select: scheduleSelect })
        : null;
    if (!row) throw scheduleNotFound(workspaceId, id);
    return row;
  }

  /** Sets the reported week not to post (null: post every week again). */
  async setSkipWeek(
    workspaceId: string,
    actor: string,
    id: string,
    week: IsoWeek | null,
  ): Promise<DigestSchedule> {
    return atomically(this.db, async (tx) => {
      const skipWeek = week ? formatIsoWeek(week) : null;
      const row = await this.updateOwn(tx, workspaceId, id, { skipWeek });
      await new AuditRepository(tx).record(workspaceId, actor, "schedule.skip_week", {
        id,
        skipWeek,
      });
      return toSchedule(row);
    });
  }

  /** Deletes a schedule and its runs; false when there was none. */
  async remove(workspaceId: string, actor: string, id: string): Promise<boolean> {
    return atomically(this.db, async (tx) => {
      const { count } = await tx.digestSchedule.deleteMany({ where: { id, workspaceId } });
      if (count > 0)
        await new AuditRepository(tx).record(workspaceId, actor, "schedule.deleted", { id });
      return count > 0;
    });
  }
}
