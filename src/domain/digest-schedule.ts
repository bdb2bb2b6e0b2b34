import { type IsoWeek, lastCompleteWeek } from "./week.ts";
import { type Workspace, workspaceTimezone } from "./workspace.ts";

export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

export const DEFAULT_WEEKDAY = 1;
export const DEFAULT_TIME = "09:00";

/** Where and when the digest is posted. The schedules are the digest channels. */
export interface DigestSchedule {
  id: string;
  workspaceId: string;
  channelId: string;
  /** 1 = Monday … 7 = Sunday, with `time` ("HH:MM"); both unused when `cron` is set. */
  weekday: number | null;
  time: string | null;
  cron: string | null;
  /** IANA zone the schedule fires in; null: the workspace's. */
  timezone: string | null;
  enabled: boolean;
  /** A reported week not to post. */
  skipWeek: IsoWeek | null;
  createdAt: Date;
}

/** An enabled schedule of an active workspace, with the zone it fires in. */
export interface ActiveSchedule {
  schedule: DigestSchedule;
  timeZone: string;
}

export type ScheduleTiming = Pick<DigestSchedule, "weekday" | "time" | "cron">;

/** What an admin sets on a schedule. */
export type ScheduleInput = Pick<
  DigestSchedule,
  "channelId" | "weekday" | "time" | "cron" | "timezone" | "enabled"
>;

/** The cron expression the schedule fires on: its own, else built from weekday and time. */
export function cronExpression(timing: ScheduleTiming): string {
  if (timing.cron) return timing.cron;
  const [hour, minute] = (timing.time ?? DEFAULT_TIME).split(":").map(Number);
  return `${minute} ${hour} * * ${(timing.weekday ?? DEFAULT_WEEKDAY) % 7}`;
}

export function scheduleTimezone(
  schedule: Pick<DigestSchedule, "timezone">,
  workspace: Pick<Workspace, "timezone">,
): string {
  return schedule.timezone ?? workspaceTimezone(workspace);
}

/** A digest posted at `firedAt` reports the last complete week before it, in the workspace's zone. */
export function reportedWeek(firedAt: Date, workspace: Pick<Workspace, "timezone">): IsoWeek {
  return lastCompleteWeek(firedAt, workspaceTimezone(workspace));
}

/** "Mondays at 09:00", or the cron expression. */
export function describeTiming(timing: ScheduleTiming): string {
  if (timing.cron) return `cron \`${timing.cron}\``;
  return `${WEEKDAYS[(timing.weekday ?? DEFAULT_WEEKDAY) - 1]}s at ${timing.time ?? DEFAULT_TIME}`;
}

export type RunStatus = "claimed" | "posted" | "failed" | "skipped";

/** One scheduled digest for one reported week: claimed once, across replicas and restarts. */
export interface DigestRun {
  id: string;
  scheduleId: string;
  week: IsoWeek;
  status: RunStatus;
  late: boolean;
  messageTs: string | null;
  error: string | null;
  attempts: number;
  /** When a failed run is tried again; null when only a person can fix what failed. */
  retryAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A scheduled digest posted this long after its time is marked late. */
export const LATE_AFTER_MS = 10 * 60_000;

const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000];
const RETRY_EVERY_MS = 60 * 60_000;

/** A failed run is tried again after 1, 5 and 15 minutes, then every hour. */
export function retryDelayMs(attempts: number): number {
  return RETRY_DELAYS_MS[attempts - 1] ?? RETRY_EVERY_MS;
}
