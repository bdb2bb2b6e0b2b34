import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import type { OAuth2 } from "@jsforce/jsforce-node";
import { z } from "zod";
import type { OAuthApp } from "../../config.ts";
import { AppError } from "../../domain/app-error.ts";
import { crmError, parseCrmAnswer } from "./crm-error.ts";

/**
 * The scopes Leadfit asks HubSpot for (HubSpot's scopes reference): `oauth` for any OAuth app,
 * contacts, deals and owners read for leads and outcomes, contacts and their schema written for
 * verdicts back. The README lists the same.
 */
export const HUBSPOT_SCOPES = [
  "oauth",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.schemas.contacts.write",
  "crm.objects.deals.read",
  "crm.objects.owners.read",
] as const;

/** The scopes asked of Salesforce: the REST API, and a refresh token that lasts (offline). */
export const SALESFORCE_SCOPES = "api refresh_token offline_access";

// The vendors' clients load on first use: this module is on the app's start-up path (the OAuth
// callback routes), and the two cost about 0.16 s to load that a start never needs.
const hubspotClient = async (basePath?: string) => {
  const { Client } = await import("@hubspot/api-client");
  return new Client(basePath ? { basePath } : {});
};

/** The grant of Salesforce's OAuth 2.0 JWT bearer flow (RFC 7523). */
export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Salesforce takes a JWT whose `exp` is at most 3 minutes away (JWT bearer flow reference). */
const JWT_LIFETIME_S = 180;

/** HubSpot's page where an admin picks the account and grants the scopes (OAuth quickstart). */
export async function hubspotAuthorizeUrl(
  app: OAuthApp,
  redirectUri: string,
  state: string,
): Promise<string> {
  return (await hubspotClient()).oauth.getAuthorizationUrl(
    app.clientId,
    redirectUri,
    HUBSPOT_SCOPES.join(" "),
    undefined,
    state,
  );
}

const hubspotTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
});

/**
 * Exchanges HubSpot's authorization code for the account's tokens (`POST /oauth/v1/token`,
 * grant_type=authorization_code) through `@hubspot/api-client`, at `apiUrl`.
 */
export async function hubspotTokensFromCode(
  apiUrl: string,
  app: OAuthApp,
  redirectUri: string,
  code: string,
): Promise<{ accessToken: string; refreshToken: string }> {
  const client = await hubspotClient(apiUrl);
  let answer: unknown;
  try {
    answer = await client.oauth.tokensApi.create(
      "authorization_code",
      code,
      redirectUri,
      app.clientId,
      app.clientSecret,
    );
  } catch (error) {
    throw tokenRequestFailed("HubSpot", hubspotFailure(error), error);
  }
  return parseCrmAnswer("HubSpot", "token answer", hubspotTokensSchema, answer);
}

/** HubSpot's error body (`{ status, message }`) or the network failure, for the message. */
function hubspotFailure(error: unknown): { status: number | undefined; detail: string } {
  const { code, body } = error as { code?: unknown; body?: unknown };
  const parsed = z.object({ status: z.string(), message: z.string() }).loose().safeParse(body);
  const status = typeof code === "number" ? code : undefined;
  return {
    status,
    detail: parsed.success
      ? `${parsed.data.status}: ${parsed.data.message}`
      : status
        ? `answered ${status}`
        : String(error),
  };
}

/** Salesforce's authorize page for the connected app (web server flow). */
export async function salesforceAuthorizeUrl(
  loginUrl: string,
  app: OAuthApp,
  redirectUri: string,
  state: string,
): Promise<string> {
  return (await salesforceOAuth(loginUrl, app.clientId, redirectUri)).getAuthorizationUrl({
    scope: SALESFORCE_SCOPES,
    state,
  });
}

const salesforceTokensSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.url({ protocol: /^https?$/ }),
});

export interface SalesforceSession {
  instanceUrl: string;
  accessToken: string;
  refreshToken?: string;
}

/** Exchanges Salesforce's authorization code for a session (jsforce's OAuth2 requestToken). */
export async function salesforceTokensFromCode(
  loginUrl: string,
  app: OAuthApp,
  redirectUri: string,
  code: string,
): Promise<SalesforceSession> {
  const oauth = await salesforceOAuth(loginUrl, app.clientId, redirectUri, app.clientSecret);
  return salesforceSession(() => oauth.requestToken(code));
}

/** A private key read from PEM, or the error saying the file is not one. */
export function readPrivateKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType === "rsa") return key;
  } catch {
    // Refused below with what the flow needs.
  }
  throw new AppError(
    "invalid_request",
    "the JWT private key is not an RSA private key in PEM",
    "The private key must be an RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), the one whose certificate is uploaded to the connected app.",
  );
}

/**
 * The JWT bearer assertion Salesforce documents: RS256 over `{ iss: consumer key, sub: username,
 * aud: login URL, exp }`, in base64url.
 */
export function salesforceJwtAssertion(input: {
  clientId: string;
  username: string;
  loginUrl: string;
  privateKey: string;
  now: Date;
}): string {
  const key = readPrivateKey(input.privateKey);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signed = `${part({ alg: "RS256" })}.${part({
    iss: input.clientId,
    sub: input.username,
    aud: input.loginUrl,
    exp: Math.floor(input.now.getTime() / 1000) + JWT_LIFETIME_S,
  })}`;
  return `${signed}.${sign("sha256", Buffer.from(signed), key).toString("base64url")}`;
}

/** A new session for a pre-authorized user through the JWT bearer flow. */
export async function salesforceJwtSession(input: {
  loginUrl: string;
  clientId: string;
  username: string;
  privateKey: string;
  now: Date;
}): Promise<SalesforceSession> {
  const assertion = salesforceJwtAssertion(input);
  const oauth = await salesforceOAuth(input.loginUrl, input.clientId);
  const session = await salesforceSession(() =>
    oauth.requestToken({ grant_type: JWT_BEARER_GRANT, assertion }),
  );
  return { instanceUrl: session.instanceUrl, accessToken: session.accessToken };
}

async function salesforceOAuth(
  loginUrl: string,
  clientId: string,
  redirectUri?: string,
  clientSecret?: string,
): Promise<OAuth2> {
  const { OAuth2 } = await import("@jsforce/jsforce-node");
  return new OAuth2({
    loginUrl,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(redirectUri ? { redirectUri } : {}),
  });
}

async function salesforceSession(request: () => Promise<unknown>): Promise<SalesforceSession> {
  let answer: unknown;
  try {
    answer = await request();
  } catch (error) {
    // jsforce names the error after OAuth's `error` and says its `error_description`.
    const { name, message } = error as Error;
    const http = /^ERROR_HTTP_(\d+)$/.exec(name ?? "");
    throw tokenRequestFailed(
      "Salesforce",
      {
        status: http ? Number(http[1]) : name ? 400 : undefined,
        detail: `${name ?? "error"}: ${message}`,
      },
      error,
    );
  }
  const tokens = parseCrmAnswer("Salesforce", "token answer", salesforceTokensSchema, answer);
  return {
    instanceUrl: tokens.instance_url,
    accessToken: tokens.access_token,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
  };
}

/** A refused grant means the admin must authorize again; no answer or a 5xx, try again later. */
function tokenRequestFailed(
  crm: string,
  failure: { status: number | undefined; detail: string },
  cause: unknown,
): AppError {
  const { status, detail } = failure;
  const refused = status !== undefined && status >= 400 && status < 500;
  return crmError(
    refused ? "crm_unauthorized" : "crm_unavailable",
    crm,
    `token request: ${detail}`,
    { cause },
  );
}
