import { connectionSummary } from "../db/repositories/crm-connection-repository.ts";
import type { Repositories } from "../db/repositories/index.ts";
import type { CrmStatus } from "../domain/crm-verdict-write.ts";

/** The failed writes listed with their message; the rest are counted. */
export const LISTED_FAILED_WRITES = 5;

/** A workspace's CRM connection without its credentials, and its verdicts' writes; undefined when none. */
export async function crmStatus(
  deps: { repos: Pick<Repositories, "crmConnections" | "crmVerdictWrites"> },
  input: { workspaceId: string },
): Promise<CrmStatus | undefined> {
  const stored = await deps.repos.crmConnections.get(input.workspaceId);
  if (!stored) return undefined;
  const [writes, failedWrites] = await Promise.all([
    deps.repos.crmVerdictWrites.status(input.workspaceId),
    deps.repos.crmVerdictWrites.failures(input.workspaceId, LISTED_FAILED_WRITES),
  ]);
  return { connection: connectionSummary(stored), writes, failedWrites };
}
