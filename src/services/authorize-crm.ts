import type { CrmConfig } from "../config.ts";
import type { WorkspaceRepository } from "../db/repositories/workspace-repository.ts";
import { AppError } from "../domain/app-error.ts";
import { type CrmKind, requireEncryptionKey } from "../domain/crm-connection.ts";
import { crmOAuthCallbackPath, MAX_PUBLIC_URL, signOAuthState } from "../domain/crm-oauth-state.ts";
import { requireCrmApp } from "../outbound/crm/crm-app.ts";
import { hubspotAuthorizeUrl, salesforceAuthorizeUrl } from "../outbound/crm/oauth.ts";

export interface CrmAuthorizeLink {
  /** Where the admin grants Leadfit access: HubSpot's or Salesforce's own page. */
  url: string;
  /** Where the CRM sends the admin back: registered in the CRM's app beforehand. */
  redirectUri: string;
  /** Leadfit's address the link was made for, as kept for the next one. */
  publicUrl: string;
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
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  if (base.length > MAX_PUBLIC_URL) {
    throw new AppError(
      "invalid_request",
      `public URL of ${base.length} characters`,
      `The public URL is too long for the CRM's link: at most ${MAX_PUBLIC_URL} characters.`,
    );
  }
  return base;
}

/** What making an authorize link reads and records. */
export interface CrmAuthorizeDeps {
  repos: { workspaces: Pick<WorkspaceRepository, "publicUrl" | "recordCrmAuthorizeLink"> };
  config: { crm: CrmConfig; port: number };
  now: () => Date;
}

/**
 * Leadfit's public address for a workspace's next authorize link: the one last given there, else
 * the HTTP server on this machine (enough when the browser runs on it too).
 */
export async function publicUrlOf(
  deps: Pick<CrmAuthorizeDeps, "repos" | "config">,
  input: { workspaceId: string },
): Promise<string> {
  return (
    (await deps.repos.workspaces.publicUrl(input.workspaceId)) ??
    `http://localhost:${deps.config.port}`
  );
}

/**
 * The link an admin follows to connect a workspace to HubSpot or Salesforce with OAuth. Its
 * `state` is signed, names the workspace and the user, expires, and works once (see
 * completeCrmAuthorization). A `publicUrl` given is kept for the next link; without one, the
 * address from publicUrlOf. Audited (crm.authorize_link_made).
 */
export async function crmAuthorizeLink(
  deps: CrmAuthorizeDeps,
  input: { kind: CrmKind; workspaceId: string; userId: string; publicUrl?: string | undefined },
): Promise<CrmAuthorizeLink> {
  const { crm } = deps.config;
  const key = requireEncryptionKey(crm.encryptionKey);
  const app = requireCrmApp(crm, input.kind);
  const publicUrl = baseUrl(input.publicUrl ?? (await publicUrlOf(deps, input)));
  const redirectUri = `${publicUrl}${crmOAuthCallbackPath(input.kind)}`;
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
  await deps.repos.workspaces.recordCrmAuthorizeLink(input.workspaceId, input.userId, {
    crm: input.kind,
    publicUrl,
    remember: input.publicUrl !== undefined,
  });
  return { url, redirectUri, publicUrl, expiresAt: new Date(claims.expiresAt) };
}
