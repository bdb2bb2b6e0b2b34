import type { Deps } from "../../../deps.ts";
import { openContextNoteModal } from "../../../services/open-context-note-modal.ts";
import type { MessageShortcutArgs } from "../listener-args.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

/** "Add as context note" on any message: a modal to attach it to a week, campaign and metric. */
export function addContextNoteShortcut(deps: Deps) {
  return async ({ ack, shortcut, gateway, respond }: MessageShortcutArgs): Promise<void> => {
    await ack();
    try {
      const workspace = await interactionWorkspace(deps, shortcut);
      await openContextNoteModal(
        { ...deps, gateway },
        {
          workspace,
          triggerId: shortcut.trigger_id,
          text: shortcut.message.text ?? "",
          metadata: { source: { channelId: shortcut.channel.id, ts: shortcut.message.ts } },
        },
      );
    } catch (error) {
      await reportError(deps, error, "context note shortcut", respond);
    }
  };
}
