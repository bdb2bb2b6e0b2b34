import type { RespondFn } from "@slack/bolt";
import { isDatabaseUnavailable } from "../../db/database.ts";
import { databaseBusy, isRetryableDatabaseError } from "../../db/retry.ts";
import type { Deps } from "../../deps.ts";
import { AppError, isAppError } from "../../domain/app-error.ts";
import type { Workspace } from "../../domain/workspace.ts";
import {
  eventWorkspaceId,
  interactionWorkspaceClue,
  isWorkspaceId,
} from "./workspace-of-request.ts";

const WORKSPACE_UNKNOWN =
  "Leadfit could not tell which Slack workspace this came from, so nothing was saved. Please try again from a channel of your workspace.";

function workspaceUnknown(detail: string): AppError {
  return new AppError("slack_workspace_unknown", detail, WORKSPACE_UNKNOWN);
}

/**
 * The workspace a request came from; a workspace Slack knows but we do not yet is created on the
 * spot (how an org-wide install's workspaces appear). An enterprise id is never made a workspace.
 */
export async function workspaceFor(deps: Deps, teamId: string | undefined): Promise<Workspace> {
  if (!isWorkspaceId(teamId)) throw workspaceUnknown(`not a workspace id: ${teamId}`);
  return (await deps.repos.workspaces.get(teamId)) ?? deps.repos.workspaces.ensure(teamId, teamId);
}

/**
 * The workspace id of an interaction (button, modal, shortcut, options): read from the payload,
 * else asked of Slack for the channel it happened in, through the org-wide installation's token.
 */
export async function interactionTeamId(deps: Deps, payload: unknown): Promise<string> {
  const clue = interactionWorkspaceClue(payload);
  if (clue.kind === "workspace") return clue.workspaceId;
  if (clue.kind === "channel" && clue.enterpriseId) {
    const { channelId, enterpriseId } = clue;
    // An org-wide installation is found by its enterprise id.
    const team = await deps.slack
      .gateway(enterpriseId)
      .then((gateway) => gateway.channelTeam(channelId))
      .catch((error: unknown) => {
        deps.log.warn("could not ask Slack for a channel's workspace", {
          channelId,
          enterpriseId,
          error: String(error),
        });
        return undefined;
      });
    if (isWorkspaceId(team)) return team;
  }
  throw workspaceUnknown(`no workspace in an interaction (${clue.kind})`);
}

/** The workspace of an interaction, created on the spot when Slack knows the team and we do not. */
export async function interactionWorkspace(deps: Deps, payload: unknown): Promise<Workspace> {
  return workspaceFor(deps, await interactionTeamId(deps, payload));
}

/** The workspace of an Events API callback. */
export function eventWorkspace(deps: Deps, body: unknown): Promise<Workspace> {
  return workspaceFor(deps, eventWorkspaceId(body));
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

/** Logs a request Slack sent again (a retry, a replay) that was acknowledged and left alone. */
export function logRepeat(deps: Pick<Deps, "log">, key: string, where: string): void {
  deps.log.info("repeated Slack request: not acted on again", { key, where });
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
