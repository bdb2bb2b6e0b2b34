import { type Repositories, type RepositorySource, transaction } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import type { ContextNote } from "../domain/context-note.ts";
import { firstTime, type Once, REPEAT } from "../domain/once.ts";
import { formatIsoWeek, isoWeekOf, parseIsoWeek } from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import { contextNoteSaved } from "../presentation/slack/context-note.ts";

export const CONTEXT_NOTE_MAX = 3000;

export interface AddContextNoteInput {
  workspace: Workspace;
  author: string;
  text: string;
  /** ISO week; default: this week in the workspace's timezone. */
  week?: string;
  campaignKey?: string | null;
  metricKey?: string | null;
  source?: { channelId: string; ts: string; permalink: string | null };
  /** Slack's key for the request that made the note: a repeat of it adds nothing. */
  requestKey: string;
}

/**
 * A human note for a week (and optionally a campaign or metric): shown in that week's digest. The
 * note and its request's key are stored together, so a repeat of the request adds no second note.
 */
export async function addContextNote(
  deps: { db: RepositorySource; repos: Repositories; now: () => Date },
  input: AddContextNoteInput,
): Promise<Once<ContextNote>> {
  const text = input.text.trim();
  if (!text)
    throw new AppError(
      "empty_note",
      "empty context note",
      "Write the note after `/leadfit note`, e.g. `/leadfit note Webinar moved to Thursday`.",
    );
  if (text.length > CONTEXT_NOTE_MAX) {
    throw new AppError(
      "note_too_long",
      "context note too long",
      `Keep a context note under ${CONTEXT_NOTE_MAX} characters.`,
    );
  }
  const week = formatIsoWeek(
    input.week
      ? parseIsoWeek(input.week)
      : isoWeekOf(deps.now(), workspaceTimezone(input.workspace)),
  );
  const { workspace } = input;
  const campaign = input.campaignKey
    ? await deps.repos.campaigns.findByKey(workspace.id, input.campaignKey)
    : undefined;
  const metric = input.metricKey
    ? await deps.repos.metrics.definitionId(workspace.id, input.metricKey)
    : undefined;
  if (input.campaignKey && !campaign)
    throw new AppError(
      "unknown_campaign",
      `campaign ${input.campaignKey}`,
      `There is no campaign ${input.campaignKey}.`,
    );
  if (input.metricKey && !metric)
    throw new AppError(
      "unknown_metric",
      `metric ${input.metricKey}`,
      `There is no metric ${input.metricKey}.`,
    );
  return transaction(deps.db, async (repos) => {
    if (!(await repos.slackRequests.claim(workspace.id, input.requestKey))) return REPEAT;
    const note = await repos.contextNotes.add(workspace.id, {
      week,
      text,
      author: input.author,
      campaignId: campaign?.id ?? null,
      metricId: metric ?? null,
      source: input.source,
    });
    return firstTime(note);
  });
}

/** `/leadfit note <text>`: the note added, and the confirmation to answer with (none for a repeat). */
export async function addContextNoteByCommand(
  deps: Parameters<typeof addContextNote>[0],
  input: Pick<AddContextNoteInput, "workspace" | "author" | "text" | "requestKey">,
): Promise<Once<{ text: string }>> {
  const added = await addContextNote(deps, input);
  return added.repeat ? REPEAT : firstTime({ text: contextNoteSaved({ note: added.value }) });
}
