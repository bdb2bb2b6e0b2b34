import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import type { Workspace } from "../domain/workspace.ts";

/** The workspace an API key gave access to, which may have gone since the key was checked. */
export async function workspaceOfKey(
  deps: { repos: Pick<Repositories, "workspaces"> },
  input: { workspaceId: string },
): Promise<Workspace> {
  const workspace = await deps.repos.workspaces.get(input.workspaceId);
  if (!workspace)
    throw new AppError(
      "not_found",
      `workspace ${input.workspaceId}`,
      "This key's workspace no longer exists.",
    );
  return workspace;
}
