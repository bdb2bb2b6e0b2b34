import type { RespondFn } from "@slack/bolt";
import type { Deps } from "../../deps.ts";
import { logUnexpected, userMessageOf } from "../../services/error-notice.ts";

/** Logs a request Slack sent again (a retry, a replay) that was acknowledged and left alone. */
export function logRepeat(deps: Pick<Deps, "log">, key: string, where: string): void {
  deps.log.info("repeated Slack request: not acted on again", { key, where });
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
  logUnexpected(deps, { error, where });
  if (!respond) return;
  try {
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: userMessageOf({ error }),
    });
  } catch (respondError) {
    deps.log.warn("could not tell the user about an error", { where, error: String(respondError) });
  }
}
