import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "./app-error.ts";

/** How a person makes a key for LEADFIT_ENCRYPTION_KEY: said wherever one is missing or bad. */
export const MAKE_ENCRYPTION_KEY = "openssl rand -base64 32";

/** The key that seals CRM credentials, or the error that tells an operator how to make one. */
export function requireEncryptionKey(key: Buffer | undefined): Buffer {
  if (key) return key;
  const message = `Set LEADFIT_ENCRYPTION_KEY before connecting a CRM: it encrypts the CRM's credentials at rest. Make one with: ${MAKE_ENCRYPTION_KEY}`;
  throw new AppError("encryption_key_missing", message, message);
}

export const CRM_KINDS = ["hubspot", "salesforce"] as const;
export type CrmKind = (typeof CRM_KINDS)[number];

export const CRM_LABELS: Record<CrmKind, string> = { hubspot: "HubSpot", salesforce: "Salesforce" };

/** How many days back the first sync reads: the default, and the range a connection may set. */
export const BACKFILL_DAYS = { default: 90, min: 1, max: 3650 } as const;

/** What Leadfit needs to call a CRM; stored only sealed, never logged, never shown again. */
export const crmCredentialsSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("hubspot"),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
  }),
  z.discriminatedUnion("flow", [
    // An access token from the web server flow (or given by hand), renewed with the refresh token.
    z.object({
      kind: z.literal("salesforce"),
      flow: z.literal("web").optional(),
      instanceUrl: z.url({ protocol: /^https?$/ }),
      accessToken: z.string().min(1),
      refreshToken: z.string().min(1).optional(),
    }),
    // The JWT bearer flow: no refresh token; a new JWT signed with the key gets a new access token.
    z.object({
      kind: z.literal("salesforce"),
      flow: z.literal("jwt"),
      instanceUrl: z.url({ protocol: /^https?$/ }),
      accessToken: z.string().min(1),
      username: z.string().min(1),
      /** PEM private key whose certificate is uploaded to the connected app. */
      privateKey: z.string().min(1),
    }),
  ]),
]);
export type CrmCredentials = z.infer<typeof crmCredentialsSchema>;

/** Per-object sync position: records modified at or after `modifiedSince` are still to be read. */
export const crmCursorsSchema = z.record(z.string(), z.object({ modifiedSince: z.iso.datetime() }));
export type CrmCursors = z.infer<typeof crmCursorsSchema>;

export interface CrmSyncCounts {
  leadsCreated: number;
  leadsUpdated: number;
  leadsRemoved: number;
  outcomes: number;
  verdictsWritten: number;
}

/** A connection as admins see it: everything but the credentials. */
export interface CrmConnectionSummary {
  kind: CrmKind;
  connectedBy: string;
  connectedAt: Date;
  /** Where HubSpot's portal or Salesforce's org lives, to recognise it. */
  account: string;
  backfillDays: number;
  cursors: CrmCursors;
  lastSyncAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  counts: CrmSyncCounts;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED_VERSION = "v1";

/**
 * AES-256-GCM over the credentials' JSON: `v1.<iv>.<tag>.<ciphertext>` in base64url. A fresh IV
 * per seal; the tag makes a changed or wrongly-keyed value fail to open instead of reading as junk.
 */
export function sealCredentials(key: Buffer, credentials: CrmCredentials): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(credentials), "utf8"), cipher.final()]);
  return [SEALED_VERSION, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function openCredentials(key: Buffer, sealed: string): CrmCredentials {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== SEALED_VERSION || iv === undefined || tag === undefined || body === undefined) {
    throw credentialsUnreadable("the stored value is not in the sealed form");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const json = Buffer.concat([
      decipher.update(Buffer.from(body, "base64url")),
      decipher.final(),
    ]).toString("utf8");
    return crmCredentialsSchema.parse(JSON.parse(json));
  } catch (error) {
    throw credentialsUnreadable(
      "it was sealed with another LEADFIT_ENCRYPTION_KEY, or changed",
      error,
    );
  }
}

function credentialsUnreadable(why: string, cause?: unknown): AppError {
  return new AppError(
    "crm_credentials_unreadable",
    `CRM credentials cannot be opened: ${why}`,
    `The CRM credentials cannot be opened (${why}). Connect the CRM again.`,
    { cause },
  );
}

/** How a HubSpot connection's account names its portal: webhooks find their workspace by it. */
export function hubspotAccount(portalId: number): string {
  return `portal ${portalId}`;
}
