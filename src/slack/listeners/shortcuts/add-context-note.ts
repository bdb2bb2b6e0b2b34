import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import {
  addWeeks,
  formatIsoWeek,
  isoWeekOf,
  weekEndDate,
  weekStartDate,
} from "../../../domain/week.ts";
import { workspaceTimezone } from "../../../domain/workspace.ts";
import { contextNoteModal } from "../../blocks/context-note.ts";
import { SlackGateway } from "../../gateway.ts";
import type { ContextNoteMetadata } from "../../parse/values.ts";
import { reportError, workspaceFor } from "../support.ts";

const WEEKS_TO_CHOOSE = 9;

/** "Add as context note" on any message: a modal to attach it to a week, campaign and metric. */
export function addContextNoteShortcut(deps: Deps) {
  return async ({
    ack,
    shortcut,
    client,
  }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    try {
      const workspace = await workspaceFor(deps, shortcut.team?.id ?? shortcut.user.team_id);
      const thisWeek = isoWeekOf(deps.now(), workspaceTimezone(workspace));
      const weeks = Array.from({ length: WEEKS_TO_CHOOSE }, (_, i) => addWeeks(thisWeek, -i)).map(
        (w) => ({
          value: formatIsoWeek(w),
          label: `${formatIsoWeek(w)} (${weekStartDate(w)} to ${weekEndDate(w)})`,
        }),
      );
      const [campaigns, metrics] = await Promise.all([
        deps.repos.campaigns.list(workspace.id),
        deps.repos.metrics.definitions(workspace.id),
      ]);
      const metadata: ContextNoteMetadata = {
        channelId: shortcut.channel.id,
        ts: shortcut.message.ts,
      };
      await new SlackGateway(client).openView(
        shortcut.trigger_id,
        contextNoteModal({
          weeks,
          initialWeek: formatIsoWeek(thisWeek),
          campaigns: campaigns.map((c) => ({ key: c.key, name: c.name })),
          metrics,
          text: shortcut.message.text ?? "",
          privateMetadata: JSON.stringify(metadata),
        }),
      );
    } catch (error) {
      await reportError(deps, error, "context note shortcut");
    }
  };
}
