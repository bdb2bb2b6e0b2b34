import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import { nextDigest } from "../domain/digest-fire-times.ts";
import { compareWeeks, type IsoWeek } from "../domain/week.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { requireAdmin } from "./require-admin.ts";

/**
 * Skips the schedule's next digest (the week it would report next), or, when that week is
 * skipped already, posts it after all. Admins only.
 */
export async function skipDigestWeek(
  deps: { repos: Repositories; admins: AdminDirectory; now: () => Date },
  input: { workspace: Workspace; userId: string; scheduleId: string },
): Promise<{ week: IsoWeek; skipped: boolean }> {
  const { workspace, userId } = input;
  await requireAdmin(deps, { workspace, userId });
  const schedule = await deps.repos.schedules.get(workspace.id, input.scheduleId);
  const next = nextDigest(schedule, workspace, deps.now());
  if (!next) {
    throw new AppError(
      "no_next_digest",
      `schedule ${schedule.id} has no next digest`,
      "This schedule is off or has no digest in the coming weeks to skip.",
    );
  }
  const { week } = next;
  const skipped = !(schedule.skipWeek && compareWeeks(schedule.skipWeek, week) === 0);
  await deps.repos.schedules.setSkipWeek(workspace.id, userId, schedule.id, skipped ? week : null);
  return { week, skipped };
}
