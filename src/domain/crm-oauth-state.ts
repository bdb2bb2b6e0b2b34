import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { AppError } from "./app-error.ts";
import { CRM_KINDS, CRM_LABELS, type CrmKind } from "./crm-connection.ts";

/** How long an authorize link stays usable: as long as Slack's own OAuth state (10 minutes). */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/**
 * The longest public address Leadfit takes for an authorize link: the link carries it twice (the
 * redirect URL, and inside the state), and Slack takes a link button's URL up to 3,000 characters.
 */
export const MAX_PUBLIC_URL = 500;

/** Where HubSpot or Salesforce sends the admin back with the authorization code. */
export function crmOAuthCallbackPath(kind: CrmKind): string {
  return `/crm/${kind}/oauth/callback`;
}

const stateSchema = z.object({
  kind: z.enum(CRM_KINDS),
  workspaceId: z.string().min(1),
  userId: z.string().min(1),
  redirectUri: z.url({ protocol: /^https?$/ }),
  /** Makes each state one of a kind, so it can be used once. */
  nonce: z.string().min(16),
  expiresAt: z.number().int(),
});
/** Who asked to connect which CRM to which workspace, and where the CRM sends them back. */
export type CrmOAuthState = z.infer<typeof stateSchema>;

/**
 * The state's signing key, derived from LEADFIT_ENCRYPTION_KEY (which connecting needs anyway) so
 * the one key never serves two purposes as it is.
 */
function signingKey(encryptionKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", encryptionKey, "", "leadfit crm oauth state", 32));
}

function signatureOf(encryptionKey: Buffer, body: string): Buffer {
  return createHmac("sha256", signingKey(encryptionKey)).update(body).digest();
}

/**
 * The OAuth `state` parameter: `<claims>.<HMAC-SHA256>` in base64url, naming the workspace and
 * the user, expiring OAUTH_STATE_TTL_MS after `now`. Signed, not encrypted: it holds no secret.
 */
export function signOAuthState(
  encryptionKey: Buffer,
  input: { kind: CrmKind; workspaceId: string; userId: string; redirectUri: string; now: Date },
): { state: string; claims: CrmOAuthState } {
  const claims: CrmOAuthState = {
    kind: input.kind,
    workspaceId: input.workspaceId,
    userId: input.userId,
    redirectUri: input.redirectUri,
    nonce: randomBytes(18).toString("base64url"),
    expiresAt: input.now.getTime() + OAUTH_STATE_TTL_MS,
  };
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return {
    state: `${body}.${signatureOf(encryptionKey, body).toString("base64url")}`,
    claims,
  };
}

/**
 * The claims of a state this Leadfit signed for `kind`, still in time; anything else is refused
 * with the reason. Whether it was used already is the caller's to check (it needs storage).
 */
export function openOAuthState(
  encryptionKey: Buffer,
  kind: CrmKind,
  state: string,
  now: Date,
): CrmOAuthState {
  const [body, signature, ...rest] = state.split(".");
  if (!body || !signature || rest.length > 0)
    throw stateRefused(kind, "it is not one Leadfit made");
  const expected = signatureOf(encryptionKey, body);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw stateRefused(kind, "its signature does not match");
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw stateRefused(kind, "it is not one Leadfit made");
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success || parsed.data.kind !== kind) {
    throw stateRefused(kind, "it is not one Leadfit made");
  }
  if (now.getTime() > parsed.data.expiresAt) {
    throw stateRefused(kind, `it expired (a link lasts ${OAUTH_STATE_TTL_MS / 60_000} minutes)`);
  }
  return parsed.data;
}

/** A state seen before: the link was used already. */
export function stateReplayed(kind: CrmKind): AppError {
  return stateRefused(kind, "it was used already (each link works once)");
}

function stateRefused(kind: CrmKind, why: string): AppError {
  const label = CRM_LABELS[kind];
  return new AppError(
    "oauth_state_invalid",
    `${label} OAuth callback refused: ${why}`,
    `This ${label} authorization link cannot be used: ${why}. Start again from App Home or with \`leadfit crm connect ${kind}\`.`,
  );
}
