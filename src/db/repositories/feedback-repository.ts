import type { Feedback } from "../../domain/lead.ts";
import type { Db } from "../db.ts";
import type { Prisma } from "../generated/client.ts";

const feedbackSelect = {
  id: true,
  leadId: true,
  verdict: true,
  reasons: true,
  note: true,
  userId: true,
  givenAt: true,
  definitionStatus: true,
} satisfies Prisma.LeadFeedbackSelect;

function toFeedback(
  row: Prisma.LeadFeedbackGetPayload<{ select: typeof feedbackSelect }>,
): Feedback {
  return { ...row, id: row.id.toString() };
}

export type FeedbackInput = Omit<Feedback, "id">;

/** Feedback is append-only: the newest entry is the lead's current verdict. */
export class FeedbackRepository {
  constructor(private readonly db: Db) {}

  async append(workspaceId: string, input: FeedbackInput): Promise<Feedback> {
    const row = await this.db.leadFeedback.create({
      data: { workspaceId, ...input },
      select: feedbackSelect,
    });
    return toFeedback(row);
  }

  /** The lead's verdicts, oldest first. */
  async history(leadId: string): Promise<Feedback[]> {
    const rows = await this.db.leadFeedback.findMany({
      where: { leadId },
      select: feedbackSelect,
      orderBy: [{ givenAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toFeedback);
  }

  async current(leadId: string): Promise<Feedback | undefined> {
    const row = await this.db.leadFeedback.findFirst({
      where: { leadId },
      select: feedbackSelect,
      orderBy: [{ givenAt: "desc" }, { id: "desc" }],
    });
    return row ? toFeedback(row) : undefined;
  }

  /** Verdicts in the order they were given, after a cursor (a verdict id), for CRMs that pull. */
  async page(
    workspaceId: string,
    options: { since?: Date | undefined; after?: bigint | undefined; limit: number },
  ): Promise<(Omit<Feedback, "leadId"> & { leadExternalId: string })[]> {
    const rows = await this.db.leadFeedback.findMany({
      where: {
        workspaceId,
        ...(options.since ? { givenAt: { gte: options.since } } : {}),
        ...(options.after !== undefined ? { id: { gt: options.after } } : {}),
      },
      select: { ...feedbackSelect, lead: { select: { externalId: true } } },
      orderBy: { id: "asc" },
      take: options.limit,
    });
    return rows.map(({ lead, leadId: _leadId, id, ...row }) => ({
      ...row,
      id: id.toString(),
      leadExternalId: lead.externalId,
    }));
  }
}
