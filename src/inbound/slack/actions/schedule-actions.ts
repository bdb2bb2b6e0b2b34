import type { Deps } from "../../../deps.ts";
import type { Workspace } from "../../../domain/workspace.ts";
import { deleteSchedule } from "../../../services/delete-schedule.ts";
import { lastWeekDigestPreview } from "../../../services/last-week-digest.ts";
import { publishAppHome } from "../../../services/publish-app-home.ts";
import { retryDigestRun } from "../../../services/retry-digest-run.ts";
import { scheduleForm } from "../../../services/schedule-form.ts";
import { sendDigestNow } from "../../../services/send-digest-now.ts";
import { skipDigestWeek } from "../../../services/skip-digest-week.ts";
import { workInModal } from "../../../services/work-in-modal.ts";
import { runIdValue, scheduleIdValue } from "../parse/values.ts";
import { adminOnly } from "./admin-actions.ts";

export const addScheduleButton = (deps: Deps) =>
  adminOnly(deps, "open the schedule modal", async ({ body, gateway }, workspace) =>
    gateway.openView(body.trigger_id, await scheduleForm(deps, { workspace, scheduleId: null })),
  );

export const editScheduleButton = (deps: Deps) =>
  adminOnly(deps, "edit a schedule", async ({ body, action, gateway }, workspace) => {
    const form = await scheduleForm(deps, {
      workspace,
      scheduleId: scheduleIdValue.parse(action.value),
    });
    await gateway.openView(body.trigger_id, form);
  });

/** The digest the schedule's channel would get for the last complete week. */
export const previewScheduleButton = (deps: Deps) =>
  adminOnly(deps, "preview a digest", ({ body, action, gateway }, workspace) =>
    workInModal(
      { gateway, log: deps.log },
      {
        triggerId: body.trigger_id,
        title: "Digest preview",
        work: () =>
          lastWeekDigestPreview(deps, {
            workspace,
            scheduleId: scheduleIdValue.parse(action.value),
          }),
      },
    ),
  );

export const sendScheduleNowButton = (deps: Deps) =>
  adminOnly(deps, "send a digest now", ({ body, action, gateway }, workspace) =>
    workInModal(
      { gateway, log: deps.log },
      {
        triggerId: body.trigger_id,
        title: "Send digest now",
        work: async () => {
          const { sent } = await sendDigestNow(
            { ...deps, gateway },
            {
              workspace,
              userId: body.user.id,
              scheduleId: scheduleIdValue.parse(action.value),
            },
          );
          return sent;
        },
      },
    ),
  );

/** An admin's change made from App Home, which is then shown again with the change. */
export function changeFromHome(
  deps: Deps,
  what: string,
  change: (input: { workspace: Workspace; userId: string; value: string }) => Promise<unknown>,
) {
  return adminOnly(deps, what, async ({ body, action, gateway }, workspace) => {
    await change({ workspace, userId: body.user.id, value: action.value ?? "" });
    await publishAppHome(
      { ...deps, gateway },
      { workspaceId: workspace.id, viewerId: body.user.id },
    );
  });
}

export const skipScheduleButton = (deps: Deps) =>
  changeFromHome(deps, "skip a digest", ({ value, ...input }) =>
    skipDigestWeek(deps, { ...input, scheduleId: scheduleIdValue.parse(value) }),
  );

export const deleteScheduleButton = (deps: Deps) =>
  changeFromHome(deps, "delete a schedule", ({ value, ...input }) =>
    deleteSchedule(deps, { ...input, scheduleId: scheduleIdValue.parse(value) }),
  );

export const retryDigestRunButton = (deps: Deps) =>
  changeFromHome(deps, "retry a digest", ({ value, ...input }) =>
    retryDigestRun(deps, { ...input, runId: runIdValue.parse(value) }),
  );
