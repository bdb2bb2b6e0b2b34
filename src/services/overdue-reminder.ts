import type { Repositories } from "../db/repositories/index.ts";
import type { Deps } from "../deps.ts";
import { dateInZone } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { overdueReminder } from "../presentation/slack/overdue.ts";

const LISTED = 10;

/**
 * Once a day, the sales channel gets a short list of leads unreviewed past the SLA; nothing when
 * there are none, and never more than one message a day, whichever replica gets there first.
 */
export async function sendOverdueReminder(
  { repos, gateway }: { repos: Repositories; gateway: SlackGateway },
  input: { workspace: Workspace; now: Date },
): Promise<"sent" | "none" | "already_sent" | "no_channel"> {
  const { workspace, now } = input;
  if (!workspace.salesChannelId) return "no_channel";
  const cutoff = new Date(now.getTime() - workspace.reviewSlaHours * 3_600_000);
  const overdue = await repos.leads.overdue(workspace.id, cutoff, LISTED);
  if (overdue.total === 0) return "none";
  const day = dateInZone(now, workspaceTimezone(workspace));
  const claimKey = `overdue:${workspace.id}:${day}`;
  const claimed = await repos.jobClaims.claim(claimKey, new Date(now.getTime() + 3 * 86_400_000));
  if (!claimed) return "already_sent";
  try {
    await gateway.postMessage(
      workspace.salesChannelId,
      overdueReminder({ ...overdue, slaHours: workspace.reviewSlaHours }),
    );
  } catch (error) {
    // Not posted (Slack refused it or stayed down through the client's retries): the day's
    // reminder is still due, and the next round tries again.
    await repos.jobClaims.release(claimKey);
    throw error;
  }
  return "sent";
}

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
      await sendOverdueReminder(
        { repos: deps.repos, gateway: await deps.slack.gateway(workspace.id) },
        { workspace, now },
      );
    } catch (error) {
      deps.log.warn("overdue reminder failed", { workspaceId: workspace.id, error: String(error) });
    }
  }
}
