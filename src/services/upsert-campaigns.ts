import type { Repositories } from "../db/repositories/index.ts";
import { retrying } from "../db/retry.ts";
import type { CampaignInput, UpsertCounts } from "../domain/ingest-schemas.ts";

/** `POST /api/v1/campaigns`: campaigns created or renamed by key; a campaign sent without a name is named by its key. */
export function upsertCampaigns(
  deps: { repos: Pick<Repositories, "campaigns"> },
  input: { workspaceId: string; campaigns: readonly CampaignInput[] },
): Promise<UpsertCounts> {
  return retrying(() =>
    deps.repos.campaigns.upsertMany(
      input.workspaceId,
      input.campaigns.map((c) => ({ ...c, name: c.name ?? c.key })),
    ),
  );
}
