import type { Feedback } from "../../domain/lead.ts";
import type { DefinitionStatus, Verdict } from "../../domain/verdict.ts";
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

export interface FeedbackInput {
  leadId: string;
  verdict: Verdict;
  reasons: string[];
  note: string | null;
  userId: string;
  givenAt: Date;
  definitionStatus: DefinitionStatus;
}

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
}
