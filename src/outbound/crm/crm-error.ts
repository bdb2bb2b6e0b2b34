import type { z } from "zod";
import { AppError } from "../../domain/app-error.ts";

/** Why a CRM call failed, as the sync and the verdict queue need to tell failures apart. */
export type CrmFailure =
  /** The credentials are refused and could not be renewed: an admin must reconnect. */
  | "crm_unauthorized"
  /** The CRM's allowance is used up (Salesforce's daily requests): try again later. */
  | "crm_limit_reached"
  /** Still 429 or 5xx after the retries: try again later. */
  | "crm_unavailable"
  /** The CRM refused the request itself (4xx): sending it again will not help. */
  | "crm_refused"
  /** The CRM answered in a shape Leadfit does not know. */
  | "crm_response_invalid";

const RETRYABLE: ReadonlySet<string> = new Set(["crm_limit_reached", "crm_unavailable"]);

export function crmError(
  code: CrmFailure,
  crm: string,
  detail: string,
  options: { cause?: unknown; retryAfterMs?: number } = {},
): AppError {
  const what: Record<CrmFailure, string> = {
    crm_unauthorized: `${crm} refused Leadfit's credentials; connect it again`,
    crm_limit_reached: `${crm}'s API allowance is used up; Leadfit tries again later`,
    crm_unavailable: `${crm} is not answering; Leadfit tries again later`,
    crm_refused: `${crm} refused the request`,
    crm_response_invalid: `${crm} answered in an unexpected shape`,
  };
  return new AppError(code, `${crm}: ${detail}`, `${what[code]} (${detail}).`, {
    cause: options.cause,
  });
}

/** Whether a failed CRM call is worth trying again later (the sync or the queue keeps its place). */
export function isRetryableCrmError(error: unknown): boolean {
  return error instanceof AppError && RETRYABLE.has(error.code);
}

/** A CRM's answer read with `schema`, or the error naming where (`what`) and the first bad field. */
export function parseCrmAnswer<S extends z.ZodType>(
  crm: string,
  what: string,
  schema: S,
  answer: unknown,
): z.infer<S> {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw crmError(
    "crm_response_invalid",
    crm,
    `${what}: ${issue?.path.join(".") || "body"} ${issue?.message ?? ""}`.trim(),
  );
}
