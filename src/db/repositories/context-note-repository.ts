import type { ContextNote } from "../../domain/context-note.ts";
import type { Db } from "../client-or-transaction.ts";
import type { Prisma } from "../generated/client.ts";

export interface ContextNoteToStore {
  week: string;
  text: string;
  author: string;
  campaignId: string | null;
  metricId: string | null;
  source?: { channelId: string; ts: string; permalink: string | null };
}

const noteSelect = {
  id: true,
  week: true,
  text: true,
  author: true,
  createdAt: true,
  sourcePermalink: true,
  campaign: { select: { key: true } },
  metric: { select: { key: true } },
} satisfies Prisma.ContextNoteSelect;

function toContextNote({
  campaign,
  metric,
  sourcePermalink,
  ...note
}: Prisma.ContextNoteGetPayload<{ select: typeof noteSelect }>): ContextNote {
  return {
    ...note,
    permalink: sourcePermalink,
    campaignKey: campaign?.key ?? null,
    metricKey: metric?.key ?? null,
  };
}

export class ContextNoteRepository {
  constructor(private readonly db: Db) {}

  async add(workspaceId: string, input: ContextNoteToStore): Promise<ContextNote> {
    const { source, ...note } = input;
    const row = await this.db.contextNote.create({
      data: {
        workspaceId,
        ...note,
        sourceChannel: source?.channelId ?? null,
        sourceTs: source?.ts ?? null,
        sourcePermalink: source?.permalink ?? null,
      },
      select: noteSelect,
    });
    return toContextNote(row);
  }

  /** Notes attached to these ISO weeks (e.g. "2026-W47"), oldest first. */
  async forWeeks(workspaceId: string, weeks: readonly string[]): Promise<ContextNote[]> {
    const rows = await this.db.contextNote.findMany({
      where: { workspaceId, week: { in: [...weeks] } },
      select: noteSelect,
      orderBy: { createdAt: "asc" },
    });
    return rows.map(toContextNote);
  }

  async setPermalink(workspaceId: string, id: string, permalink: string): Promise<void> {
    await this.db.contextNote.update({
      where: { id, workspaceId },
      data: { sourcePermalink: permalink },
    });
  }

  /** Removes the notes these authors wrote (the demo's people, before it writes them again). */
  async deleteByAuthors(workspaceId: string, authors: readonly string[]): Promise<void> {
    await this.db.contextNote.deleteMany({ where: { workspaceId, author: { in: [...authors] } } });
  }
}
