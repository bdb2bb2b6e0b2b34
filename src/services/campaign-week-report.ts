import type { Db } from "../db/db.ts";
import { CampaignRepository } from "../db/repositories/campaign-repository.ts";
import { FigureRepository } from "../db/repositories/figure-repository.ts";
import { type CampaignWeekFigures, campaignWeekFigures } from "../domain/figures.ts";
import { formatIsoWeek, type IsoWeek, weekBounds, weekStartDate } from "../domain/week.ts";
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
  db: Db,
  workspace: Workspace,
  week: IsoWeek,
): Promise<CampaignWeekReport> {
  const timeZone = workspaceTimezone(workspace);
  const bounds = weekBounds(week, timeZone);
  const figures = new FigureRepository(db);
  const [campaigns, { leadCounts: counts, reasonCounts: reasons }, spend] = await Promise.all([
    new CampaignRepository(db).list(workspace.id),
    figures.verdictFigures(workspace.id, bounds),
    figures.weekMetricByCampaign(workspace.id, "spend", weekStartDate(week)),
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
