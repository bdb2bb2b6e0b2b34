import type { Repositories } from "../db/repositories/index.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { requireAdmin } from "./require-admin.ts";

/**
 * Puts the workspace's failed CRM writes back in the queue (admins only), typically after fixing
 * what the CRM refused: a missing field, a permission, a reconnected CRM. How many.
 */
export async function retryCrmWrites(
  deps: { repos: Repositories; admins: AdminDirectory; now: () => Date },
  input: { workspace: Workspace; userId: string },
): Promise<number> {
  await requireAdmin(deps, input);
  return deps.repos.crmVerdictWrites.retryFailed(input.workspace.id, deps.now());
}
