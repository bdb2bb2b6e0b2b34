import type { CrmConnectionRepository } from "../db/repositories/crm-connection-repository.ts";
import type { CrmConnectionSummary } from "../domain/crm-connection.ts";

/** A workspace's CRM connection without its credentials; undefined when none. */
export async function crmStatus(
  deps: { crmConnections: CrmConnectionRepository },
  input: { workspaceId: string },
): Promise<CrmConnectionSummary | undefined> {
  const stored = await deps.crmConnections.get(input.workspaceId);
  if (!stored) return undefined;
  const { sealedCredentials: _sealed, workspaceId: _id, ...summary } = stored;
  return summary;
}
