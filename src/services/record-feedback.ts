import { randomUUID } from "node:crypto";
import type { Db } from "../db/db.ts";
import type { PrismaClient } from "../db/generated/client.ts";
import { FeedbackRepository } from "../db/repositories/feedback-repository.ts";
import { WebhookRepository } from "../db/repositories/webhook-repository.ts";
import type { Repositories } from "../deps.ts";
import { AppError } from "../domain/app-error.ts";
import type { Feedback, Lead } from "../domain/lead.ts";
import { FEEDBACK_NOTE_MAX, type Verdict } from "../domain/verdict.ts";

export interface FeedbackInput {
  workspaceId: string;
  leadId: string;
  verdict: Verdict;
  reasons: string[];
  note: string | null;
  userId: string;
}

export type FeedbackField = "lead" | "verdict" | "reasons" | "note";

/** What is wrong with a verdict, per field, before anything is written (inline modal errors). */
export function feedbackProblems(
  input: Pick<FeedbackInput, "verdict" | "reasons" | "note">,
  reasonKeys: readonly string[],
): Partial<Record<FeedbackField, string>> {
  const problems: Partial<Record<FeedbackField, string>> = {};
  if (input.verdict === "not_fit" && input.reasons.length === 0) {
    problems.reasons = "Pick at least one reason: it tells marketing what to change.";
  }
  const unknown = input.reasons.filter((r) => !reasonKeys.includes(r));
  if (unknown.length > 0)
    problems.reasons = `Unknown reason: ${unknown.join(", ")}. Pick from the list.`;
  if ((input.note?.length ?? 0) > FEEDBACK_NOTE_MAX) {
    problems.note = `Keep the note under ${FEEDBACK_NOTE_MAX} characters.`;
  }
  return problems;
}

/**
 * Appends a verdict to the lead's history with a snapshot of whether the lead met the agreed
 * definition. Reasons belong to "not a fit" only; timing is the verdict "not yet", not a reason.
 */
export async function recordFeedback(
  deps: { repos: Repositories; db: { prisma: PrismaClient }; now: () => Date },
  input: FeedbackInput,
): Promise<{ lead: Lead; feedback: Feedback }> {
  const { workspaceId } = input;
  const reasons = input.verdict === "not_fit" ? [...new Set(input.reasons)] : [];
  const note = input.note?.trim() || null;
  // A click waits for these reads before Slack gets its acknowledgement: the lead comes with its
  // workspace's webhook in one query, and only reasons need the taxonomy.
  const [found, active] = await Promise.all([
    deps.repos.leads.getForVerdict(input.leadId),
    reasons.length > 0 ? deps.repos.reasons.list(workspaceId) : [],
  ]);
  const { lead, webhook } = found ?? {};
  if (!lead || lead.workspaceId !== workspaceId) {
    throw new AppError(
      "lead_not_found",
      `lead ${input.leadId} not in ${workspaceId}`,
      "That lead no longer exists.",
    );
  }
  const problems = feedbackProblems(
    { verdict: input.verdict, reasons, note },
    active.map((r) => r.key),
  );
  const first = Object.values(problems)[0];
  if (first) throw new AppError("invalid_feedback", first, first);
  const append = async (db: Db): Promise<Feedback> => {
    const appended = await new FeedbackRepository(db).append(workspaceId, {
      leadId: lead.id,
      verdict: input.verdict,
      reasons,
      note,
      userId: input.userId,
      givenAt: deps.now(),
      definitionStatus: lead.definition.status,
    });
    if (webhook) {
      const event = verdictEvent(workspaceId, lead, appended);
      await new WebhookRepository(db).enqueue(workspaceId, {
        id: event.id,
        eventType: event.type,
        leadId: lead.id,
        payload: event,
      });
    }
    return appended;
  };
  // The verdict and its webhook event are written together: neither exists without the other.
  // Alone, the verdict is one INSERT and needs no transaction's extra round trips.
  const feedback = webhook
    ? await deps.db.prisma.$transaction(append)
    : await append(deps.db.prisma);
  return { lead, feedback };
}

/** The event a CRM receives for a verdict (its id is the delivery id). */
export function verdictEvent(workspaceId: string, lead: Lead, feedback: Feedback) {
  return {
    id: randomUUID(),
    type: "verdict.created",
    createdAt: feedback.givenAt.toISOString(),
    workspace: workspaceId,
    data: {
      lead: { externalId: lead.externalId, email: lead.email },
      verdict: feedback.verdict,
      reasons: feedback.reasons,
      note: feedback.note,
      userId: feedback.userId,
      givenAt: feedback.givenAt.toISOString(),
      definitionStatus: feedback.definitionStatus,
    },
  };
}
