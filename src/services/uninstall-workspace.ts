import type { Repositories } from "../db/repositories/index.ts";
import type { Logger } from "../log.ts";

/**
 * The app left a workspace: the workspace is deactivated (its schedules stop with it) and its
 * installation, holding the tokens, is deleted, in one transaction.
 */
export async function uninstallWorkspace(
  deps: { repos: Pick<Repositories, "installations">; log: Logger; now: () => Date },
  input: { teamId: string; enterpriseId: string | undefined; event: string },
): Promise<void> {
  const { teamId, enterpriseId, event } = input;
  await deps.repos.installations.uninstall({ teamId, enterpriseId }, deps.now());
  deps.log.info("workspace deactivated", { teamId, event });
}
