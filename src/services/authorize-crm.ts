import type { CrmConfig } from "../config.ts";
import { AppError } from "../domain/app-error.ts";
import type { CrmKind } from "../domain/crm-connection.ts";
import { crmOAuthCallbackPath, signOAuthState } from "../domain/crm-oauth-state.ts";
import { requireCrmApp } from "../outbound/crm/crm-app.ts";
import { hubspotAuthorizeUrl, salesforceAuthorizeUrl } from "../outbound/crm/oauth.ts";
import { requireEncryptionKey } from "./connect-crm.ts";

export interface CrmAuthorizeLink {
  /** Where the admin grants Leadfit access: HubSpot's or Salesforce's own page. */
  url: string;
  /** Where the CRM sends the admin back: registered in the CRM's app beforehand. */
  redirectUri: string;
  expiresAt: Date;
}

/** The address Leadfit is reached at from the admin's browser, without a trailing slash. */
function baseUrl(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError(
      "invalid_request",
      `public URL ${publicUrl}`,
      `The public URL must be Leadfit's http(s) address as a browser reaches it, such as https://leadfit.example.com (got "${publicUrl}").`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/**
 * The link an admin follows to connect a workspace to HubSpot or Salesforce with OAuth. Its
 * `state` is signed, names the workspace and the user, expires, and works once (see
 * completeCrmAuthorization).
 */
export async function crmAuthorizeLink(
  deps: { config: { crm: CrmConfig }; now: () => Date },
  input: { kind: CrmKind; workspaceId: string; userId: string; publicUrl: string },
): Promise<CrmAuthorizeLink> {
  const { crm } = deps.config;
  const key = requireEncryptionKey(crm.encryptionKey);
  const app = requireCrmApp(crm, input.kind);
  const redirectUri = `${baseUrl(input.publicUrl)}${crmOAuthCallbackPath(input.kind)}`;
  const { state, claims } = signOAuthState(key, {
    kind: input.kind,
    workspaceId: input.workspaceId,
    userId: input.userId,
    redirectUri,
    now: deps.now(),
  });
  const url =
    input.kind === "hubspot"
      ? await hubspotAuthorizeUrl(app, redirectUri, state)
      : await salesforceAuthorizeUrl(crm.salesforce.loginUrl, app, redirectUri, state);
  return { url, redirectUri, expiresAt: new Date(claims.expiresAt) };
}
