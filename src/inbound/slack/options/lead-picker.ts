import type { Deps } from "../../../deps.ts";
import { toStorableText } from "../../../domain/storable.ts";
import { searchLeads } from "../../../services/find-lead.ts";
import type { OptionsArgs } from "../listener-args.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/** The feedback modal's lead picker: leads whose name, email, company or id contain the query. */
export function leadPickerOptions(deps: Deps) {
  return async ({ ack, body }: OptionsArgs): Promise<void> => {
    try {
      const workspace = await interactionWorkspace(deps, body);
      const options = await searchLeads(deps, {
        workspaceId: workspace.id,
        query: toStorableText(body.value),
      });
      await ack({ options });
    } catch (error) {
      await reportError(deps, error, "lead picker");
      await ack({ options: [] });
    }
  };
}
