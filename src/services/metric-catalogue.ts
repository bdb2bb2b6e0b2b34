import type { Database } from "../db/database.ts";
import { type Repositories, transaction } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import type { UpsertCounts } from "../domain/ingest-schemas.ts";
import type { MetricDefinition } from "../domain/metrics.ts";

/** The workspace's active metrics. */
export function listMetrics(
  deps: { repos: Pick<Repositories, "metrics"> },
  input: { workspaceId: string },
): Promise<MetricDefinition[]> {
  return deps.repos.metrics.catalogue(input.workspaceId);
}

/** Adds or changes metric definitions by key: the whole batch in one transaction, or nothing. */
export function defineMetrics(
  deps: { db: Pick<Database, "prisma" | "pool"> },
  input: { workspaceId: string; definitions: readonly MetricDefinition[] },
): Promise<UpsertCounts> {
  return transaction(deps.db, (repos) =>
    repos.metrics.define(input.workspaceId, input.definitions),
  );
}

/** Retires an active metric: it takes no new values; its history stays. */
export async function retireMetric(
  deps: { repos: Pick<Repositories, "metrics"> },
  input: { workspaceId: string; key: string; at: Date },
): Promise<void> {
  if (!(await deps.repos.metrics.retire(input.workspaceId, input.key, input.at)))
    throw new AppError("not_found", `no metric ${input.key}`, `No active metric ${input.key}.`);
}
