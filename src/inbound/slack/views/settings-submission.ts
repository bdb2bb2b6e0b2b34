import type { ModalView } from "@slack/types";
import type { Deps } from "../../../deps.ts";
import type { SettingsField } from "../../../domain/settings-check.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { errorNotice } from "../../../services/error-notice.ts";
import { saveSettings } from "../../../services/save-settings.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { inlineErrors, parseSettingsForm } from "../parse/view-state.ts";
import { refreshHome } from "../refresh-home.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

const BLOCK_OF: Record<SettingsField, string> = {
  timezone: INPUTS.timezone,
  currency: INPUTS.currency,
  admins: INPUTS.admins,
  northStar: INPUTS.northStar,
  kpis: INPUTS.kpis,
  kpiTargets: INPUTS.kpiTargets,
};

/** Settings: admins only (checked again here), problems inline, saved in one transaction. */
export function settingsSubmission(deps: Deps) {
  return async ({ ack, body, view, gateway }: ViewSubmitArgs): Promise<void> => {
    const form = parseSettingsForm(view.state.values);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const workspace = await interactionWorkspace(deps, body);
    let notice: ModalView | null;
    try {
      const result = await saveSettings(
        { ...deps, gateway },
        {
          workspace,
          userId: body.user.id,
          form: form.value,
        },
      );
      if (!result.ok) {
        return ack({ response_action: "errors", errors: inlineErrors(result.problems, BLOCK_OF) });
      }
      notice = result.notice;
    } catch (error) {
      await reportError(deps, error, "save settings");
      return ack({
        response_action: "update",
        view: errorNotice({
          title: "Leadfit settings",
          error,
          unexpected: "The settings could not be saved; it has been logged. Please try again.",
        }),
      });
    }
    await ack(notice ? { response_action: "update", view: notice } : undefined);
    await refreshHome(
      deps,
      gateway,
      { workspaceId: workspace.id, viewerId: body.user.id },
      "republish home after settings",
    );
  };
}
