import type { Db } from "../db.ts";

export interface ContextNote {
  id: string;
  week: string;
  text: string;
  author: string;
  campaignKey: string | null;
  metricKey: string | null;
  createdAt: Date;
}

export interface ContextNoteInput {
  week: string;
  text: string;
  author: string;
  campaignId: string | null;
  metricId: string | null;
}

export class ContextNoteRepository {
  constructor(private readonly db: Db) {}

  async add(workspaceId: string, input: ContextNoteInput): Promise<void> {
    await this.db.contextNote.create({ data: { workspaceId, ...input } });
  }

  /** Notes attached to these ISO weeks (e.g. "2026-W47"), oldest first. */
  async forWeeks(workspaceId: string, weeks: readonly string[]): Promise<ContextNote[]> {
    const rows = await this.db.contextNote.findMany({
      where: { workspaceId, week: { in: [...weeks] } },
      select: {
        id: true,
        week: true,
        text: true,
        author: true,
        createdAt: true,
        campaign: { select: { key: true } },
        metric: { select: { key: true } },
      },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(({ campaign, metric, ...note }) => ({
      ...note,
      campaignKey: campaign?.key ?? null,
      metricKey: metric?.key ?? null,
    }));
  }
}
