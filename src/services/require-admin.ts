import { AppError } from "../domain/app-error.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";

/** Refuses, with `not_admin`, anyone who is not a Leadfit admin of the workspace. */
export async function requireAdmin(
  deps: { admins: Pick<AdminDirectory, "isAdmin"> },
  input: { workspace: Workspace; userId: string },
): Promise<void> {
  if (!(await deps.admins.isAdmin(input.workspace, input.userId))) {
    throw new AppError(
      "not_admin",
      `${input.userId} is not an admin of ${input.workspace.id}`,
      "Only Leadfit admins can change settings. Ask an admin to add you.",
    );
  }
}
