import type { Database } from "../db/database.ts";
import { type Repositories, transaction } from "../db/repositories/index.ts";
import { AppError, type InputProblem } from "../domain/app-error.ts";
import type { MetricValueInput, UpsertCounts } from "../domain/ingest-schemas.ts";

/** Metric keys the workspace does not define, as issues naming each row and key. */
export async function unknownMetricIssues(
  { repos }: { repos: Pick<Repositories, "metrics"> },
  {
    workspaceId,
    values,
    indexOf = (position) => position,
  }: {
    workspaceId: string;
    values: readonly { metric: string }[];
    /** Where a value's issue points: its position, unless the caller numbers rows otherwise. */
    indexOf?: (position: number) => number;
  },
): Promise<InputProblem[]> {
  const known = new Set((await repos.metrics.catalogue(workspaceId)).map((d) => d.key));
  return values.flatMap((v, position) =>
    known.has(v.metric)
      ? []
      : [
          {
            index: indexOf(position),
            field: "metric",
            message: `Unknown metric "${v.metric}": define it first (POST /api/v1/metric-definitions or leadfit metric define)`,
          },
        ],
  );
}

/**
 * `POST /api/v1/metrics`: metric values stored in one transaction; a batch naming a metric the
 * workspace does not define is refused whole, each such row named.
 */
export async function ingestMetrics(
  deps: { db: Pick<Database, "prisma" | "pool">; repos: Repositories },
  input: { workspaceId: string; values: readonly MetricValueInput[] },
): Promise<UpsertCounts> {
  const unknown = await unknownMetricIssues(deps, input);
  if (unknown.length > 0) {
    const message = "The batch names metrics this workspace does not define; nothing was written.";
    throw new AppError("invalid_request", message, message, { issues: unknown });
  }
  return transaction(deps.db, (repos) => storeMetrics({ repos }, input), { timeout: 60_000 });
}

/** Stores metric values idempotently inside the caller's transaction; unknown campaigns are created. */
export async function storeMetrics(
  { repos }: { repos: Repositories },
  input: { workspaceId: string; values: readonly MetricValueInput[] },
): Promise<UpsertCounts> {
  const keys = input.values.map((v) => v.campaign).filter((k): k is string => k !== null);
  if (keys.length > 0) await repos.campaigns.ensureKeys(input.workspaceId, keys);
  return repos.metrics.upsertValues(
    input.workspaceId,
    input.values.map((v) => ({
      metricKey: v.metric,
      campaignKey: v.campaign ?? "",
      granularity: v.period.granularity,
      periodStart: v.period.periodStart,
      value: v.value,
      source: v.source,
    })),
  );
}
