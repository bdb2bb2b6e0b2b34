import { createHash, randomBytes } from "node:crypto";
import type { ApiKeySummary } from "../db/repositories/api-key-repository.ts";
import type { Repositories } from "../db/repositories/index.ts";

const KEY_PREFIX = "lf_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new ingestion key: returned once, in full; only its SHA-256 is stored. */
export async function createApiKey(
  deps: { repos: Pick<Repositories, "apiKeys"> },
  input: { workspaceId: string; label: string; createdBy: string },
): Promise<{ key: string; summary: ApiKeySummary }> {
  const key = `${KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const summary = await deps.repos.apiKeys.create({
    ...input,
    keyHash: hashApiKey(key),
    prefix: key.slice(0, KEY_PREFIX.length + 6),
  });
  return { key, summary };
}

/** The workspace a key (as sent, in full) gives access to; undefined for an unknown or revoked key. */
export function authenticateApiKey(
  deps: { repos: Pick<Repositories, "apiKeys">; now: () => Date },
  input: { key: string },
): Promise<string | undefined> {
  return deps.repos.apiKeys.authenticate(hashApiKey(input.key), deps.now());
}

/** The workspace's keys, revoked ones included, oldest first; never the keys themselves. */
export function listApiKeys(
  deps: { repos: Pick<Repositories, "apiKeys"> },
  input: { workspaceId: string },
): Promise<ApiKeySummary[]> {
  return deps.repos.apiKeys.list(input.workspaceId);
}

/** Revokes a live key of the workspace, audited as `revokedBy`; false when there is none. */
export function revokeApiKey(
  deps: { repos: Pick<Repositories, "apiKeys">; now: () => Date },
  input: { workspaceId: string; id: string; revokedBy: string },
): Promise<boolean> {
  return deps.repos.apiKeys.revoke(input.workspaceId, input.id, input.revokedBy, deps.now());
}
