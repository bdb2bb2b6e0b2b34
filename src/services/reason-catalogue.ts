import type { Database } from "../db/database.ts";
import { type Repositories, transaction } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import type { UpsertCounts } from "../domain/ingest-schemas.ts";
import type { Reason } from "../domain/taxonomy.ts";

/** The workspace's active "not a fit" reasons (retired ones too when asked), in display order. */
export function listReasons(
  deps: { repos: Pick<Repositories, "reasons"> },
  input: { workspaceId: string; includeRetired?: boolean },
): Promise<Reason[]> {
  return deps.repos.reasons.list(input.workspaceId, { includeRetired: input.includeRetired });
}

/** Adds reasons or changes their label and owner, by key: the whole batch in one transaction. */
export function defineReasons(
  deps: { db: Pick<Database, "prisma" | "pool"> },
  input: { workspaceId: string; reasons: readonly Reason[] },
): Promise<UpsertCounts> {
  return transaction(deps.db, (repos) => repos.reasons.define(input.workspaceId, input.reasons));
}

/** Retires an active reason: no longer offered; verdicts that used it keep it. */
export async function retireReason(
  deps: { repos: Pick<Repositories, "reasons"> },
  input: { workspaceId: string; key: string; at: Date },
): Promise<void> {
  if (!(await deps.repos.reasons.retire(input.workspaceId, input.key, input.at)))
    throw new AppError("not_found", `no reason ${input.key}`, `No active reason ${input.key}.`);
}
