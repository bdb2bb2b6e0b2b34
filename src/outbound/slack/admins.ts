import type { Workspace } from "../../domain/workspace.ts";
import type { SlackDirectory } from "./gateway.ts";

const SLACK_ROLE_TTL_MS = 5 * 60_000;

/**
 * Who is an admin (DESIGN.md): the installing user, LEADFIT_ADMINS, the Slack workspace's owners
 * and admins (asked with users.info, cached for minutes, never taken from the client), and anyone
 * an admin added in settings. Every admin action asks this on the server.
 */
export class AdminDirectory {
  private readonly slackRoles = new Map<string, { isAdmin: boolean; until: number }>();

  constructor(
    private readonly bootstrapAdmins: readonly string[],
    private readonly slack: SlackDirectory,
    private readonly now: () => Date,
  ) {}

  async isAdmin(workspace: Workspace, userId: string): Promise<boolean> {
    if (this.bootstrapAdmins.includes(userId)) return true;
    if (workspace.installedBy === userId || workspace.admins.includes(userId)) return true;
    return this.isSlackAdmin(workspace.id, userId);
  }

  private async isSlackAdmin(workspaceId: string, userId: string): Promise<boolean> {
    const key = `${workspaceId}:${userId}`;
    const cached = this.slackRoles.get(key);
    const now = this.now().getTime();
    if (cached && cached.until > now) return cached.isAdmin;
    const gateway = await this.slack.gateway(workspaceId);
    const { isAdmin } = await gateway.userInfo(userId);
    this.slackRoles.set(key, { isAdmin, until: now + SLACK_ROLE_TTL_MS });
    return isAdmin;
  }
}
