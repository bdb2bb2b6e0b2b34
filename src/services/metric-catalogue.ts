import type { PrismaClient } from "../db/generated/client.ts";
import { MetricRepository } from "../db/repositories/metric-repository.ts";
import { withTransaction } from "../db/retry.ts";
import { AppError } from "../domain/app-error.ts";
import type { UpsertCounts } from "../domain/ingest-schemas.ts";
import type { MetricDefinition } from "../domain/metrics.ts";

/** The workspace's active metrics. */
export function listMetrics(
  deps: { metrics: MetricRepository },
  input: { workspaceId: string },
): Promise<MetricDefinition[]> {
  return deps.metrics.definitions(input.workspaceId);
}

/** Adds or changes metric definitions by key: the whole batch in one transaction, or nothing. */
export function defineMetrics(
  deps: { prisma: PrismaClient },
  input: { workspaceId: string; definitions: readonly MetricDefinition[] },
): Promise<UpsertCounts> {
  return withTransaction(deps.prisma, (tx) =>
    new MetricRepository(tx).define(input.workspaceId, input.definitions),
  );
}

/** Retires an active metric: it takes no new values; its history stays. */
export async function retireMetric(
  deps: { metrics: MetricRepository },
  input: { workspaceId: string; key: string; at: Date },
): Promise<void> {
  if (!(await deps.metrics.retire(input.workspaceId, input.key, input.at)))
    throw new AppError("not_found", `no metric ${input.key}`, `No active metric ${input.key}.`);
}
