import type { Repositories } from "../db/repositories/index.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { requireAdmin } from "./require-admin.ts";

/** Deletes a digest schedule and its runs (admins only): the channel gets no more digests. */
export async function deleteSchedule(
  deps: { repos: Repositories; admins: AdminDirectory },
  input: { workspace: Workspace; userId: string; scheduleId: string },
): Promise<boolean> {
  await requireAdmin(deps, input);
  return deps.repos.schedules.remove(input.workspace.id, input.userId, input.scheduleId);
}
