import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import type { Workspace } from "../domain/workspace.ts";

/**
 * The workspace a command works on: the one named (`--workspace`) when given; else the Slack team
 * of the bot token, when the command line has one (created when new); else the only one there is.
 * Refused otherwise, naming the workspaces there are.
 */
export async function workspaceOfCommand(
  deps: { repos: Pick<Repositories, "workspaces"> },
  input: {
    named: string | undefined;
    /** The bot token's Slack team, asked of Slack only when nothing is named. */
    tokenTeam: (() => Promise<{ id: string; name: string }>) | undefined;
  },
): Promise<Workspace> {
  const { workspaces } = deps.repos;
  if (input.named) {
    const found = await workspaces.get(input.named);
    if (found) return found;
  } else if (input.tokenTeam) {
    const team = await input.tokenTeam();
    return workspaces.ensure(team.id, team.name);
  } else {
    const all = await workspaces.list();
    const only = all.length === 1 ? await workspaces.get(all[0]?.id ?? "") : undefined;
    if (only) return only;
  }
  const all = await workspaces.list();
  const known = `Known workspaces: ${all.map((w) => `${w.id} (${w.name})`).join(", ")}.`;
  const message =
    all.length === 0
      ? `No workspace ${input.named ?? "yet"}: run \`leadfit demo\` to create one, or set SLACK_BOT_TOKEN to work on its Slack workspace.`
      : input.named
        ? `No workspace ${input.named}. ${known}`
        : `Several workspaces exist; pick one with --workspace <team id>. ${known}`;
  throw new AppError("workspace_unknown", message, message);
}
