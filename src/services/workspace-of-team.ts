import type { Repositories } from "../db/repositories/index.ts";
import type { Workspace } from "../domain/workspace.ts";

/**
 * The workspace of a Slack team a request came from; one Slack knows but Leadfit does not yet is
 * created on the spot (how an org-wide install's workspaces appear).
 */
export async function workspaceOfTeam(
  deps: { repos: Pick<Repositories, "workspaces"> },
  input: { teamId: string },
): Promise<Workspace> {
  const { workspaces } = deps.repos;
  return (await workspaces.get(input.teamId)) ?? workspaces.ensure(input.teamId, input.teamId);
}
