import type { CrmConfig } from "../config.ts";
import type { Repositories, RepositorySource } from "../db/repositories/index.ts";
import { AppError, isAppError } from "../domain/app-error.ts";
import {
  CRM_LABELS,
  type CrmCredentials,
  type CrmKind,
  requireEncryptionKey,
} from "../domain/crm-connection.ts";
import { type CrmOAuthState, openOAuthState, stateReplayed } from "../domain/crm-oauth-state.ts";
import type { Logger } from "../log.ts";
import { requireCrmApp } from "../outbound/crm/crm-app.ts";
import { hubspotTokensFromCode, salesforceTokensFromCode } from "../outbound/crm/oauth.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import type { SlackDirectory } from "../outbound/slack/gateway.ts";
import {
  type CrmAuthorizationPage,
  crmAuthorizationPage,
} from "../presentation/html/crm-authorization-page.ts";
import { connectCrm } from "./connect-crm.ts";
import { publishAppHome } from "./publish-app-home.ts";

/** What the CRM put on the redirect back to Leadfit (OAuth 2.0, RFC 6749 §4.1.2). */
export interface CrmAuthorizationReply {
  code?: string | undefined;
  state?: string | undefined;
  /** Set instead of `code` when the admin declined or the CRM refused: `access_denied`, … */
  error?: string | undefined;
  errorDescription?: string | undefined;
}

/** Errors the page explains; anything else is a fault the router logs and answers 500. */
const STATUS_BY_CODE: Record<string, number> = {
  oauth_state_invalid: 400,
  oauth_declined: 400,
  invalid_request: 400,
  crm_app_missing: 503,
  encryption_key_missing: 503,
  crm_unauthorized: 502,
  crm_unavailable: 502,
  crm_refused: 502,
  crm_response_invalid: 502,
  crm_limit_reached: 502,
};

/**
 * The end of a CRM's OAuth flow: the state is checked (signed by this Leadfit, in time, first
 * use), the code exchanged for tokens, and the workspace connected as connectCrm does (tokens
 * tried, sealed, stored). The answer is the page the admin's browser shows; it never holds a token.
 */
export async function completeCrmAuthorization(
  deps: {
    db: RepositorySource;
    repos: Repositories;
    admins: AdminDirectory;
    slack: Pick<SlackDirectory, "gatewayIfInstalled">;
    config: { crm: CrmConfig };
    now: () => Date;
    log: Logger;
  },
  input: { kind: CrmKind; reply: CrmAuthorizationReply },
): Promise<CrmAuthorizationPage> {
  const label = CRM_LABELS[input.kind];
  try {
    const { connection, state } = await connectFromReply(deps, input.kind, input.reply);
    await showOnAppHome(deps, state).catch((error: unknown) =>
      deps.log.warn("could not show the new CRM connection on App Home", {
        workspaceId: state.workspaceId,
        error: String(error),
      }),
    );
    return crmAuthorizationPage({
      status: 200,
      title: `Connected to ${label}`,
      lines: [
        `Leadfit is connected to ${label} (${connection.account}). The first sync starts within five minutes; App Home and \`leadfit crm status\` show how it goes.`,
        "You can close this page.",
      ],
    });
  } catch (error) {
    const status = isAppError(error) ? STATUS_BY_CODE[error.code] : undefined;
    if (!isAppError(error) || status === undefined) throw error;
    deps.log.warn("CRM authorization refused", {
      crm: input.kind,
      code: error.code,
      error: error.message,
    });
    return crmAuthorizationPage({
      status,
      title: `${label} was not connected`,
      lines: [error.userMessage],
    });
  }
}

/** The admin who made the link sees the connection on App Home without reopening it. */
async function showOnAppHome(
  deps: Parameters<typeof completeCrmAuthorization>[0],
  state: CrmOAuthState,
): Promise<void> {
  // A link made on the command line has no Slack user whose home to show it on.
  if (state.userId === "cli") return;
  const gateway = await deps.slack.gatewayIfInstalled(state.workspaceId);
  if (!gateway) return;
  await publishAppHome(
    { ...deps, gateway },
    { workspaceId: state.workspaceId, viewerId: state.userId },
  );
}

async function connectFromReply(
  deps: Parameters<typeof completeCrmAuthorization>[0],
  kind: CrmKind,
  reply: CrmAuthorizationReply,
) {
  const { crm } = deps.config;
  const label = CRM_LABELS[kind];
  const key = requireEncryptionKey(crm.encryptionKey);
  const state = openOAuthState(key, kind, reply.state ?? "", deps.now());
  // Claimed before anything else happens: a second use of the link, even concurrent, stops here.
  const firstUse = await deps.repos.jobClaims.claim(
    `crm-oauth-state:${state.nonce}`,
    new Date(state.expiresAt),
  );
  if (!firstUse) throw stateReplayed(kind);
  if (reply.error || !reply.code) {
    const why = reply.error
      ? `${reply.error}${reply.errorDescription ? `: ${reply.errorDescription}` : ""}`
      : "no authorization code came back";
    throw new AppError(
      "oauth_declined",
      `${label} authorization ended without a code: ${why}`,
      `${label} did not grant access (${why}). Start again from App Home or with \`leadfit crm connect ${kind}\`.`,
    );
  }
  const app = requireCrmApp(crm, kind);
  const credentials: CrmCredentials =
    kind === "hubspot"
      ? {
          kind,
          ...(await hubspotTokensFromCode(crm.hubspot.apiUrl, app, state.redirectUri, reply.code)),
        }
      : {
          kind,
          ...(await salesforceTokensFromCode(
            crm.salesforce.loginUrl,
            app,
            state.redirectUri,
            reply.code,
          )),
        };
  const connection = await connectCrm(deps, {
    workspaceId: state.workspaceId,
    credentials,
    connectedBy: state.userId,
  });
  return { connection, state };
}
