import type { ServerResponse } from "node:http";
import { isDatabaseUnavailable } from "../../../db/database.ts";
import { databaseBusy, isRetryableDatabaseError } from "../../../db/retry.ts";
import { isAppError } from "../../../domain/app-error.ts";
import { INTERNAL_ERROR, sendError } from "../router.ts";

const STATUS_OF: Record<string, number> = {
  invalid_json: 400,
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_bad_keys: 429,
  database_busy: 503,
};

/** Seconds a client should wait before sending again, for the answers that say "try again". */
const RETRY_AFTER_SECONDS: Record<string, number> = {
  database_busy: 2,
  database_unavailable: 60,
};

/**
 * The API's error body: { error, message, issues }. Any AppError is a refusal of the request
 * (400 unless its code says otherwise); a database too busy (retries exhausted) or unreachable is
 * a 503 with Retry-After; only an unexpected error is a logged 500.
 */
export function sendApiError(
  res: ServerResponse,
  failure: unknown,
  log: (error: unknown) => void,
): void {
  // A write that met another one outside the retry helper is busy too, never a 500; logged, as
  // that path should retry.
  const error = isRetryableDatabaseError(failure) ? databaseBusy(failure) : failure;
  if (error !== failure) log(failure);
  if (isAppError(error)) {
    setRetryAfter(res, error.code);
    sendError(
      res,
      STATUS_OF[error.code] ?? 400,
      error.code,
      error.userMessage,
      error.issues,
      error.totalIssues,
    );
    return;
  }
  if (isDatabaseUnavailable(error)) {
    setRetryAfter(res, "database_unavailable");
    sendError(
      res,
      503,
      "database_unavailable",
      "Leadfit cannot reach its database right now; nothing was written. Try again in a minute.",
    );
    return;
  }
  log(error);
  sendError(res, 500, "internal", INTERNAL_ERROR);
}

function setRetryAfter(res: ServerResponse, code: string): void {
  const seconds = RETRY_AFTER_SECONDS[code];
  if (seconds !== undefined) res.setHeader("retry-after", String(seconds));
}
