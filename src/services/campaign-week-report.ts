import type { Repositories } from "../db/repositories/index.ts";
import { type CampaignWeekFigures, campaignWeekFigures } from "../domain/figures.ts";
import { formatIsoWeek, type IsoWeek, weekBounds } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";

export interface CampaignWeekRow extends CampaignWeekFigures {
  campaignKey: string | null;
  campaignName: string;
  topReason: string | null;
}

export interface CampaignWeekReport {
  week: string;
  timeZone: string;
  currency: string;
  rows: CampaignWeekRow[];
}

/** Per campaign, for one ISO week: spend beside what sales said about the week's leads. */
export async function campaignWeekReport(
  deps: { repos: Pick<Repositories, "campaigns" | "figures"> },
  input: { workspace: Workspace; week: IsoWeek },
): Promise<CampaignWeekReport> {
  const { workspace, week } = input;
  const { figures } = deps.repos;
  const timeZone = workspaceTimezone(workspace);
  const bounds = weekBounds(week, timeZone);
  const [campaigns, { leadCounts: counts, reasonCounts: reasons }, spend] = await Promise.all([
    deps.repos.campaigns.list(workspace.id),
    figures.verdictFigures(workspace.id, bounds),
    figures.weekMetricByCampaign(workspace.id, "spend", week),
  ]);
  const keys: (string | null)[] = campaigns.map((c) => c.key);
  if (counts.some((c) => c.campaignKey === null)) keys.push(null);
  const rows = keys.map(
    (key): CampaignWeekRow => ({
      campaignKey: key,
      campaignName: campaigns.find((campaign) => campaign.key === key)?.name ?? "(no campaign)",
      ...campaignWeekFigures(
        key === null ? null : (spend.get(key) ?? null),
        counts.find((row) => row.campaignKey === key),
      ),
      // Rows come most frequent first.
      topReason: reasons.find((r) => r.campaignKey === key)?.reason ?? null,
    }),
  );
  return { week: formatIsoWeek(week), timeZone, currency: workspace.currency, rows };
}
