import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import { scheduleModal } from "../presentation/slack/schedule-modal.ts";

/** The digest schedule form: empty to add one, or filled with the schedule `scheduleId` to edit. */
export async function scheduleForm(
  deps: { repos: Pick<Repositories, "schedules"> },
  input: { workspace: Workspace; scheduleId: string | null },
): Promise<ModalView> {
  const { workspace, scheduleId } = input;
  const schedule = scheduleId ? await deps.repos.schedules.get(workspace.id, scheduleId) : null;
  return scheduleModal({ schedule, workspaceTimezone: workspaceTimezone(workspace) });
}
