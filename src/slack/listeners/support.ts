import type { RespondFn } from "@slack/bolt";
import { isDatabaseUnavailable } from "../../db/database.ts";
import { databaseBusy, isRetryableDatabaseError } from "../../db/retry.ts";
import type { Deps } from "../../deps.ts";
import { isAppError } from "../../domain/app-error.ts";
import type { Workspace } from "../../domain/workspace.ts";

/** The workspace a request came from; a team Slack knows but we do not yet is created on the spot. */
export async function workspaceFor(deps: Deps, teamId: string | undefined): Promise<Workspace> {
  if (!teamId) throw new Error("a Slack request without a team id");
  return (await deps.repos.workspaces.get(teamId)) ?? deps.repos.workspaces.ensure(teamId, teamId);
}

interface InteractionPayload {
  team?: { id: string } | null;
  user: { team_id?: string };
}

/** The team of an interaction (button, modal, shortcut): its team's, else its user's. */
export function interactionTeamId(payload: InteractionPayload): string {
  const teamId = payload.team?.id ?? payload.user.team_id;
  if (!teamId) throw new Error("a Slack request without a team id");
  return teamId;
}

/** The workspace of an interaction, created on the spot when Slack knows the team and we do not. */
export function interactionWorkspace(deps: Deps, payload: InteractionPayload): Promise<Workspace> {
  return workspaceFor(deps, interactionTeamId(payload));
}

/**
 * One Bolt listener for many handlers, each picked by its id (an action id, a callback id): Bolt
 * runs every registered listener's matching on every request, so one listener per id would cost
 * each click and command as many matchings as there are ids.
 */
export function dispatchById<Args>(
  handlers: ReadonlyMap<string, (args: Args) => Promise<void>>,
  idOf: (args: Args) => string,
): (args: Args) => Promise<void> {
  return async (args) => {
    await handlers.get(idOf(args))?.(args);
  };
}

const SOMETHING_WENT_WRONG =
  "Something went wrong on Leadfit's side and it has been logged. Please try again.";

const DATABASE_UNAVAILABLE =
  "Leadfit cannot reach its database right now, so nothing was saved. Please try again in a minute.";

/** The sentence to show a person for an error: an AppError's own, else a generic one. */
export function userMessageOf(error: unknown): string {
  if (isAppError(error)) return error.userMessage;
  if (isRetryableDatabaseError(error)) return databaseBusy(error).userMessage;
  return isDatabaseUnavailable(error) ? DATABASE_UNAVAILABLE : SOMETHING_WENT_WRONG;
}

/**
 * Tells the person what went wrong (ephemerally, through the response URL when there is one) and
 * logs anything that is not an expected AppError. Never throws: it runs in error paths.
 */
export async function reportError(
  deps: Pick<Deps, "log">,
  error: unknown,
  where: string,
  respond?: RespondFn,
): Promise<void> {
  if (!isAppError(error)) {
    deps.log.error(`${where} failed`, {
      error: String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
  }
  if (!respond) return;
  try {
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: userMessageOf(error),
    });
  } catch (respondError) {
    deps.log.warn("could not tell the user about an error", { where, error: String(respondError) });
  }
}
