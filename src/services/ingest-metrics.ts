import type { Db } from "../db/db.ts";
import { CampaignRepository } from "../db/repositories/campaign-repository.ts";
import type { Repositories } from "../db/repositories/index.ts";
import { MetricRepository } from "../db/repositories/metric-repository.ts";
import type { InputProblem } from "../domain/app-error.ts";
import type { MetricValueInput, UpsertCounts } from "../domain/ingest-schemas.ts";

/** Metric keys the workspace does not define, as issues naming each row and key. */
export async function unknownMetricIssues(
  repos: Repositories,
  workspaceId: string,
  values: readonly { metric: string }[],
  indexOf: (position: number) => number = (position) => position,
): Promise<InputProblem[]> {
  const known = new Set((await repos.metrics.definitions(workspaceId)).map((d) => d.key));
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

/** Stores metric values idempotently inside the caller's transaction; unknown campaigns are created. */
export async function ingestMetrics(
  tx: Db,
  input: { workspaceId: string; values: readonly MetricValueInput[] },
): Promise<UpsertCounts> {
  const keys = input.values.map((v) => v.campaign).filter((k): k is string => k !== null);
  if (keys.length > 0) await new CampaignRepository(tx).ensureKeys(input.workspaceId, keys);
  return new MetricRepository(tx).upsertValues(
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
