import type { Deps } from "../../../deps.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { errorNotice } from "../../../services/error-notice.ts";
import { type ScheduleField, saveSchedule } from "../../../services/save-schedule.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { scheduleIdValue } from "../parse/values.ts";
import { inlineErrors, parseScheduleForm } from "../parse/view-state.ts";
import { refreshHome } from "../refresh-home.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

const BLOCK_OF: Record<ScheduleField, string> = {
  channel: INPUTS.digestChannel,
  cron: INPUTS.cron,
  timezone: INPUTS.timezone,
};

/** A digest schedule added or changed: admins only (checked again here), problems inline. */
export function scheduleSubmission(deps: Deps) {
  return async ({ ack, body, view, gateway }: ViewSubmitArgs): Promise<void> => {
    const form = parseScheduleForm(view.state.values);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const id = scheduleIdValue.safeParse(view.private_metadata);
    const workspace = await interactionWorkspace(deps, body);
    try {
      const result = await saveSchedule(
        { ...deps, gateway },
        {
          workspace,
          userId: body.user.id,
          id: id.success ? id.data : null,
          form: form.value,
        },
      );
      if (!result.ok) {
        return ack({ response_action: "errors", errors: inlineErrors(result.problems, BLOCK_OF) });
      }
      await ack(result.notice ? { response_action: "update", view: result.notice } : undefined);
    } catch (error) {
      await reportError(deps, error, "save a digest schedule");
      return ack({
        response_action: "update",
        view: errorNotice({
          title: "Digest schedule",
          error,
          unexpected: "The schedule could not be saved; it has been logged. Please try again.",
        }),
      });
    }
    await refreshHome(
      deps,
      gateway,
      { workspaceId: workspace.id, viewerId: body.user.id },
      "republish home",
    );
  };
}
