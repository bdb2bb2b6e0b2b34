import type { ServerResponse } from "node:http";
import { isDatabaseUnavailable } from "../../db/database.ts";
import { isAppError } from "../../domain/app-error.ts";
import { INTERNAL_ERROR, sendError } from "../router.ts";

const STATUS_OF: Record<string, number> = {
  invalid_json: 400,
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_bad_keys: 429,
};

/**
 * The API's error body: { error, message, issues }. Any AppError is a refusal of the request
 * (400 unless its code says otherwise); an unreachable database is a 503 to retry; only an
 * unexpected error is a logged 500.
 */
export function sendApiError(
  res: ServerResponse,
  error: unknown,
  log: (error: unknown) => void,
): void {
  if (isAppError(error)) {
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
