import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import type { CrmKind } from "../domain/crm-connection.ts";

/** Forgets a workspace's CRM connection and its credentials; leads and verdicts stay. */
export async function disconnectCrm(
  deps: { repos: Pick<Repositories, "crmConnections"> },
  input: { workspaceId: string; actor: string },
): Promise<CrmKind> {
  const kind = await deps.repos.crmConnections.disconnect(input.workspaceId, input.actor);
  if (kind) return kind;
  throw new AppError(
    "not_found",
    `no CRM connection in ${input.workspaceId}`,
    "This workspace has no CRM connection.",
  );
}
