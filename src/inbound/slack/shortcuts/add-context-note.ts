import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { SlackGateway } from "../../../outbound/slack/gateway.ts";
import { openContextNoteModal } from "../open-context-note-modal.ts";
import { interactionWorkspace, reportError } from "../support.ts";

/** "Add as context note" on any message: a modal to attach it to a week, campaign and metric. */
export function addContextNoteShortcut(deps: Deps) {
  return async ({
    ack,
    shortcut,
    client,
    respond,
  }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    try {
      const workspace = await interactionWorkspace(deps, shortcut);
      await openContextNoteModal(deps, new SlackGateway(client), {
        workspace,
        triggerId: shortcut.trigger_id,
        text: shortcut.message.text ?? "",
        metadata: { source: { channelId: shortcut.channel.id, ts: shortcut.message.ts } },
      });
    } catch (error) {
      await reportError(deps, error, "context note shortcut", respond);
    }
  };
}
