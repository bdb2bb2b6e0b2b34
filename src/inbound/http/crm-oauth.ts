import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { CRM_KINDS } from "../../domain/crm-connection.ts";
import { crmOAuthCallbackPath } from "../../domain/crm-oauth-state.ts";
import { completeCrmAuthorization } from "../../services/complete-crm-authorization.ts";
import { type Route, sendHtml } from "./router.ts";

/** The redirect's query (RFC 6749 §4.1.2): a code and the state, or an error and the state. */
const replySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/**
 * GET /crm/hubspot/oauth/callback and /crm/salesforce/oauth/callback: where the CRM sends the
 * admin back after they granted (or refused) access; the page says whether the workspace is
 * connected.
 */
export function crmOAuthRoutes(deps: Deps): Route[] {
  return CRM_KINDS.map((kind) => ({
    method: "GET",
    path: crmOAuthCallbackPath(kind),
    handler: async (req, res) => {
      const query = new URL(req.url ?? "/", "http://localhost").searchParams;
      // A repeated parameter counts once (the first), as a browser's redirect never repeats one.
      const parsed = replySchema.safeParse(Object.fromEntries([...query].reverse()));
      const reply = parsed.success
        ? {
            code: parsed.data.code,
            state: parsed.data.state,
            error: parsed.data.error,
            errorDescription: parsed.data.error_description,
          }
        : {};
      const page = await completeCrmAuthorization(deps, { kind, reply });
      sendHtml(res, page.status, page.html);
    },
  }));
}
