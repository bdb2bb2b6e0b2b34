import type { Deps } from "../../deps.ts";
import { sendOverdueReminder } from "../../services/overdue-reminder.ts";

/** The local hour from which the day's reminder goes out. */
const REMINDER_HOUR = 9;

function localHour(now: Date, timeZone: string): number {
  return Number(
    new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(now),
  );
}

/** Every active workspace with a sales channel gets its reminder once a day, from 09:00 local. */
export async function sendOverdueReminders(deps: Deps): Promise<void> {
  const now = deps.now();
  for (const summary of await deps.repos.workspaces.list()) {
    if (!summary.active) continue;
    const workspace = await deps.repos.workspaces.get(summary.id);
    if (!workspace?.salesChannelId || localHour(now, workspace.timezone ?? "UTC") < REMINDER_HOUR)
      continue;
    try {
      await sendOverdueReminder(deps.repos, await deps.slack.gateway(workspace.id), {
        workspace,
        now,
      });
    } catch (error) {
      deps.log.warn("overdue reminder failed", { workspaceId: workspace.id, error: String(error) });
    }
  }
}
