import type { Repositories } from "../db/repositories/index.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { requireAdmin } from "./require-admin.ts";

/**
 * Lets the scheduler try a failed digest again now (admins only), typically after fixing what
 * failed, such as inviting the app to the channel. The run stays the one claim for its week.
 */
export async function retryDigestRun(
  deps: { repos: Repositories; admins: AdminDirectory; now: () => Date },
  input: { workspace: Workspace; userId: string; runId: string },
): Promise<boolean> {
  await requireAdmin(deps, input);
  return deps.repos.digestRuns.retryNow(input.workspace.id, input.runId, deps.now());
}
