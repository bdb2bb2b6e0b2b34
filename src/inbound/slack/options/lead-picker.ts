import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { toStorableText } from "../../../domain/storable.ts";
import { leadOptions } from "../../../presentation/slack/feedback-modal.ts";
import { searchLeads } from "../../../services/find-lead.ts";
import { interactionWorkspace, reportError } from "../support.ts";

/** The feedback modal's lead picker: leads whose name, email, company or id contain the query. */
export function leadPickerOptions(deps: Deps) {
  return async ({
    ack,
    body,
  }: SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs): Promise<void> => {
    try {
      const workspace = await interactionWorkspace(deps, body);
      await ack({
        options: leadOptions(
          await searchLeads(deps.repos, workspace.id, toStorableText(body.value)),
        ),
      });
    } catch (error) {
      await reportError(deps, error, "lead picker");
      await ack({ options: [] });
    }
  };
}
