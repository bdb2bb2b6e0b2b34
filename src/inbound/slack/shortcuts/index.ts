import type { App, MessageShortcut } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { SHORTCUTS } from "../../../presentation/slack/ids.ts";
import { withGateway } from "../listener-args.ts";
import { addContextNoteShortcut } from "./add-context-note.ts";

export function registerShortcuts(app: App, deps: Deps): void {
  app.shortcut<MessageShortcut>(
    { type: "message_action", callback_id: SHORTCUTS.addContextNote },
    withGateway(addContextNoteShortcut(deps)),
  );
}
