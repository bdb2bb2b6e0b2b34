import type { Deps } from "../deps.ts";
import { isAppError } from "../domain/app-error.ts";
import {
  type ActiveSchedule,
  type DigestSchedule,
  LATE_AFTER_MS,
  reportedWeek,
  retryDelayMs,
} from "../domain/digest-schedule.ts";
import { compareWeeks } from "../domain/week.ts";
import {
  isPermanentSlackError,
  type MessageMetadata,
  slackErrorCode,
} from "../outbound/slack/gateway.ts";
import { postDigest } from "./post-digest.ts";

/** A claim older than this belongs to a process that stopped mid-post. */
export const CLAIM_TIMEOUT_MS = 10 * 60_000;

export type RunOutcome = "posted" | "skipped" | "failed" | "not_claimed";

/** The enabled schedules of active workspaces (or the one `scheduleId`): what the clock runs. */
export function activeSchedules(
  deps: Pick<Deps, "repos">,
  input: { scheduleId?: string } = {},
): Promise<ActiveSchedule[]> {
  return deps.repos.schedules.enabled(input.scheduleId);
}

/**
 * The ids of schedules with a run to take up again: failed with its retry time come, or claimed
 * by a process that stopped mid-post.
 */
export function retryableSchedules(deps: Pick<Deps, "repos" | "now">): Promise<string[]> {
  const now = deps.now();
  return deps.repos.digestRuns.retryable(now, new Date(now.getTime() - CLAIM_TIMEOUT_MS));
}

/**
 * Posts a schedule's digest for the week before `firedAt` (its scheduled time), exactly once: the
 * run of (schedule, week) is claimed first, and whoever claims it posts. A post later than
 * LATE_AFTER_MS after its time is marked late. A failure is stored on the run with a retry time
 * (none for errors only a person can fix); a retry first looks for the message in the channel,
 * so a post whose answer was lost is never doubled.
 */
export async function runScheduledDigest(
  deps: Pick<Deps, "repos" | "slack" | "log" | "now">,
  input: { schedule: DigestSchedule; firedAt: Date },
): Promise<RunOutcome> {
  const { repos } = deps;
  const { schedule, firedAt } = input;
  const workspace = await repos.workspaces.get(schedule.workspaceId);
  if (!workspace?.active) return "not_claimed";
  const week = reportedWeek(firedAt, workspace);
  const now = deps.now();
  if (schedule.skipWeek && compareWeeks(schedule.skipWeek, week) === 0) {
    await repos.digestRuns.skip(schedule.id, week, now);
    return "skipped";
  }
  const run = await repos.digestRuns.claim({
    scheduleId: schedule.id,
    week,
    late: now.getTime() - firedAt.getTime() > LATE_AFTER_MS,
    now,
    staleBefore: new Date(now.getTime() - CLAIM_TIMEOUT_MS),
  });
  if (!run) return "not_claimed";
  const marker: MessageMetadata = {
    event_type: "leadfit_digest",
    event_payload: { run_id: run.id },
  };
  try {
    const gateway = await deps.slack.gateway(workspace.id);
    const { ts } = await postDigest(
      { repos, gateway },
      {
        workspace,
        week,
        channelId: schedule.channelId,
        late: run.late,
        once: { marker, since: run.createdAt, lookFirst: run.attempts > 1 },
      },
    );
    await repos.digestRuns.markPosted(run.id, ts);
    return "posted";
  } catch (error) {
    const code = slackErrorCode(error);
    const permanent = isPermanentSlackError(code) || (isAppError(error) && !code);
    const reason = code
      ? `Slack answered ${code}`
      : isAppError(error)
        ? error.userMessage
        : error instanceof Error
          ? error.message
          : String(error);
    const retryAt = permanent ? null : new Date(deps.now().getTime() + retryDelayMs(run.attempts));
    await repos.digestRuns.markFailed(run.id, reason, retryAt);
    deps.log.warn("scheduled digest failed", {
      scheduleId: schedule.id,
      channelId: schedule.channelId,
      attempt: run.attempts,
      reason,
      retryAt: retryAt?.toISOString() ?? "after an admin fixes it",
    });
    return "failed";
  }
}
