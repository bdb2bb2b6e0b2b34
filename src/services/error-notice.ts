import type { ModalView } from "@slack/types";
import { isDatabaseUnavailable } from "../db/database.ts";
import { databaseBusy, isRetryableDatabaseError } from "../db/retry.ts";
import { isAppError } from "../domain/app-error.ts";
import type { Logger } from "../log.ts";
import { noticeModal } from "../presentation/slack/notice.ts";

const SOMETHING_WENT_WRONG =
  "Something went wrong on Leadfit's side and it has been logged. Please try again.";

const DATABASE_UNAVAILABLE =
  "Leadfit cannot reach its database right now, so nothing was saved. Please try again in a minute.";

/**
 * The sentence to show a person for an error: an AppError's own, else `unexpected` when the
 * caller has a more precise one, else what the database's state or a generic failure says.
 */
export function userMessageOf({
  error,
  unexpected,
}: {
  error: unknown;
  unexpected?: string | undefined;
}): string {
  if (isAppError(error)) return error.userMessage;
  if (unexpected !== undefined) return unexpected;
  if (isRetryableDatabaseError(error)) return databaseBusy(error).userMessage;
  return isDatabaseUnavailable(error) ? DATABASE_UNAVAILABLE : SOMETHING_WENT_WRONG;
}

/** Logs an error that is not an expected AppError (those are refusals, told to the person). */
export function logUnexpected(
  deps: { log: Logger },
  { error, where }: { error: unknown; where: string },
): void {
  if (isAppError(error)) return;
  deps.log.error(`${where} failed`, {
    error: String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
}

/** A modal saying what went wrong, titled for what the person was doing. */
export function errorNotice({
  title,
  error,
  unexpected,
}: {
  title: string;
  error: unknown;
  unexpected?: string;
}): ModalView {
  return noticeModal(title, userMessageOf({ error, unexpected }));
}
