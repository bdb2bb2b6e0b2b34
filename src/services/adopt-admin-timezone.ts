import type { Repositories } from "../db/repositories/index.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";

/**
 * A new workspace's timezone (which defines "this week") defaults to its first admin's Slack
 * timezone; UTC applies until then. A timezone already set is never replaced.
 */
export async function adoptAdminTimezone(
  { repos, gateway }: { repos: Repositories; gateway: SlackGateway },
  input: { workspaceId: string; adminId: string | undefined },
): Promise<string | null> {
  const workspace = await repos.workspaces.get(input.workspaceId);
  if (!workspace || workspace.timezone || !input.adminId) return workspace?.timezone ?? null;
  const { timezone } = await gateway.userInfo(input.adminId);
  if (timezone) await repos.workspaces.setTimezone(workspace.id, timezone);
  return timezone;
}
