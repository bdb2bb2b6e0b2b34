import type { Deps } from "../../../deps.ts";
import type { ContextNote } from "../../../domain/context-note.ts";
import type { Once } from "../../../domain/once.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { addContextNote } from "../../../services/add-context-note.ts";
import { confirmContextNote } from "../../../services/confirm-context-note.ts";
import { userMessageOf } from "../../../services/error-notice.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { viewRequestKey } from "../parse/request-keys.ts";
import { contextNoteMetadata, parseMetadata } from "../parse/values.ts";
import { parseContextNoteForm } from "../parse/view-state.ts";
import { logRepeat, reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/**
 * A context note from the modal: from a message (shortcut), stored with a link to that message;
 * from a digest's "Add context", posted in the digest's thread for the discussion. The same
 * submission sent again closes the modal and adds nothing.
 */
export function contextNoteSubmission(deps: Deps) {
  return async ({ ack, body, view, gateway }: ViewSubmitArgs): Promise<void> => {
    const form = parseContextNoteForm(view.state.values);
    const metadata = parseMetadata(contextNoteMetadata, view.private_metadata);
    const source = metadata?.source;
    const thread = metadata?.thread;
    const workspace = await interactionWorkspace(deps, body);
    const requestKey = viewRequestKey(view);
    let added: Once<ContextNote>;
    try {
      added = await addContextNote(deps, {
        workspace,
        author: body.user.id,
        text: form.text,
        week: form.week ?? undefined,
        campaignKey: form.campaignKey,
        metricKey: form.metricKey,
        source: source
          ? { channelId: source.channelId, ts: source.ts, permalink: null }
          : undefined,
        requestKey,
      });
    } catch (error) {
      await reportError(deps, error, "add a context note");
      return ack({
        response_action: "errors",
        errors: { [INPUTS.text]: userMessageOf({ error }) },
      });
    }
    await ack();
    if (added.repeat) return logRepeat(deps, requestKey, "add a context note");
    // Slack calls come after the acknowledgement: the link to the message, then the confirmation.
    await confirmContextNote(
      { ...deps, gateway },
      { workspaceId: workspace.id, note: added.value, userId: body.user.id, thread, source },
    ).catch((error: unknown) => reportError(deps, error, "link and confirm a context note"));
  };
}
