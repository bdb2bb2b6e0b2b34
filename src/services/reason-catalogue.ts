import type { PrismaClient } from "../db/generated/client.ts";
import { ReasonRepository } from "../db/repositories/reason-repository.ts";
import { withTransaction } from "../db/retry.ts";
import { AppError } from "../domain/app-error.ts";
import type { UpsertCounts } from "../domain/ingest-schemas.ts";
import type { Reason } from "../domain/taxonomy.ts";

/** The workspace's active "not a fit" reasons, in display order. */
export function listReasons(
  deps: { reasons: ReasonRepository },
  input: { workspaceId: string },
): Promise<Reason[]> {
  return deps.reasons.list(input.workspaceId);
}

/** Adds reasons or changes their label and owner, by key: the whole batch in one transaction. */
export function defineReasons(
  deps: { prisma: PrismaClient },
  input: { workspaceId: string; reasons: readonly Reason[] },
): Promise<UpsertCounts> {
  return withTransaction(deps.prisma, (tx) =>
    new ReasonRepository(tx).define(input.workspaceId, input.reasons),
  );
}

/** Retires an active reason: no longer offered; verdicts that used it keep it. */
export async function retireReason(
  deps: { reasons: ReasonRepository },
  input: { workspaceId: string; key: string; at: Date },
): Promise<void> {
  if (!(await deps.reasons.retire(input.workspaceId, input.key, input.at)))
    throw new AppError("not_found", `no reason ${input.key}`, `No active reason ${input.key}.`);
}
