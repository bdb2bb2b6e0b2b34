import type { RespondFn } from "@slack/bolt";
import { isDatabaseUnavailable } from "../../db/database.ts";
import { databaseBusy, isRetryableDatabaseError } from "../../db/retry.ts";
import type { Deps } from "../../deps.ts";
import { isAppError } from "../../domain/app-error.ts";

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
