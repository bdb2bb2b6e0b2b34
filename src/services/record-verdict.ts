import { randomUUID } from "node:crypto";
import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import { type LeadFeedback, leadNotFound } from "../domain/lead.ts";
import type { Once } from "../domain/once.ts";
import { revisitDateProblem } from "../domain/revisit.ts";
import { VERDICT_NOTE_MAX, type Verdict } from "../domain/verdict.ts";
import { dateInZone } from "../domain/week.ts";
import { workspaceTimezone } from "../domain/workspace.ts";

export interface RecordVerdictInput {
  workspaceId: string;
  leadId: string;
  verdict: Verdict;
  reasons: string[];
  note: string | null;
  userId: string;
  /**
   * Not yet only: the day ("YYYY-MM-DD") the lead comes back to sales; absent, the default
   * (DEFAULT_REVISIT_DAYS on, in the workspace's timezone).
   */
  revisitOn?: string | null;
  /** Slack's key for the request that gave the verdict: a repeat of it records nothing. */
  requestKey: string;
}

export type VerdictField = "lead" | "verdict" | "reasons" | "note" | "revisitOn";

/** What is wrong with a verdict, per field, before anything is written. */
function verdictProblems(
  input: Pick<RecordVerdictInput, "verdict" | "reasons" | "note" | "revisitOn">,
  reasonKeys: readonly string[],
  today: string | undefined,
): Partial<Record<VerdictField, string>> {
  const problems: Partial<Record<VerdictField, string>> = {};
  if (input.verdict === "not_fit" && input.reasons.length === 0) {
    problems.reasons = "Pick at least one reason: it tells marketing what to change.";
  }
  const unknown = input.reasons.filter((r) => !reasonKeys.includes(r));
  if (unknown.length > 0)
    problems.reasons = `Unknown reason: ${unknown.join(", ")}. Pick from the list.`;
  if ((input.note?.length ?? 0) > VERDICT_NOTE_MAX) {
    problems.note = `Keep the note under ${VERDICT_NOTE_MAX} characters.`;
  }
  const revisitProblem =
    input.revisitOn && today ? revisitDateProblem(input.revisitOn, today) : undefined;
  if (revisitProblem) problems.revisitOn = revisitProblem;
  return problems;
}

/**
 * Appends a verdict to the lead's history with a snapshot of whether the lead met the agreed
 * definition, and queues its card's update and its webhook event. Reasons belong to "not a fit"
 * only; timing is the verdict "not yet", not a reason, and a not-yet verdict carries the date the
 * lead comes back to sales (after the workspace's today, within a year; the default when absent).
 * Invalid input is refused, nothing written,
 * with an `invalid_verdict` AppError whose issues name each field (a VerdictField). A repeat of
 * the request stores nothing and is answered as one.
 */
export async function recordVerdict(
  deps: { repos: Repositories; now: () => Date },
  input: RecordVerdictInput,
): Promise<Once<LeadFeedback>> {
  const { workspaceId } = input;
  const reasons = input.verdict === "not_fit" ? [...new Set(input.reasons)] : [];
  const note = input.note?.trim() || null;
  const revisitOn = input.verdict === "not_yet" ? (input.revisitOn ?? null) : null;
  // A click waits for this before Slack gets its acknowledgement: without reasons or a picked
  // revisit date nothing is read first, and the verdict is stored in one statement.
  const [active, workspace] = await Promise.all([
    reasons.length > 0 ? deps.repos.reasons.list(workspaceId) : [],
    revisitOn ? deps.repos.workspaces.get(workspaceId) : undefined,
  ]);
  const today = workspace ? dateInZone(deps.now(), workspaceTimezone(workspace)) : undefined;
  const problems = verdictProblems(
    { verdict: input.verdict, reasons, note, revisitOn },
    active.map((r) => r.key),
    today,
  );
  const issues = Object.entries(problems).map(([field, message]) => ({ index: 0, field, message }));
  const [first] = issues;
  if (first) throw new AppError("invalid_verdict", first.message, first.message, { issues });
  const feedback = await deps.repos.feedback.record(
    workspaceId,
    {
      leadId: input.leadId,
      verdict: input.verdict,
      reasons,
      note,
      userId: input.userId,
      givenAt: deps.now(),
      revisitOn,
    },
    randomUUID(),
    input.requestKey,
  );
  if (!feedback) throw leadNotFound(workspaceId, input.leadId);
  return feedback;
}
