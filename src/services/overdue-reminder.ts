import type { Repositories } from "../db/repositories/index.ts";
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
  repos: Repositories,
  gateway: SlackGateway,
  input: { workspace: Workspace; now: Date },
): Promise<"sent" | "none" | "already_sent" | "no_channel"> {
  const { workspace, now } = input;
  if (!workspace.salesChannelId) return "no_channel";
  const cutoff = new Date(now.getTime() - workspace.reviewSlaHours * 3_600_000);
  const overdue = await repos.leads.overdue(workspace.id, cutoff, LISTED);
  if (overdue.total === 0) return "none";
  const day = dateInZone(now, workspaceTimezone(workspace));
  const claimed = await repos.jobClaims.claim(
    `overdue:${workspace.id}:${day}`,
    new Date(now.getTime() + 3 * 86_400_000),
  );
  if (!claimed) return "already_sent";
  await gateway.postMessage(
    workspace.salesChannelId,
    overdueReminder({ ...overdue, slaHours: workspace.reviewSlaHours }),
  );
  return "sent";
}
