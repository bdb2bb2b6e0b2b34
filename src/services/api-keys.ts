import { createHash, randomBytes } from "node:crypto";
import type { ApiKeyRepository, ApiKeySummary } from "../db/repositories/api-key-repository.ts";

const KEY_PREFIX = "lf_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new ingestion key: returned once, in full; only its SHA-256 is stored. */
export async function createApiKey(
  keys: ApiKeyRepository,
  input: { workspaceId: string; label: string; createdBy: string },
): Promise<{ key: string; summary: ApiKeySummary }> {
  const key = `${KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const summary = await keys.create({
    ...input,
    keyHash: hashApiKey(key),
    prefix: key.slice(0, KEY_PREFIX.length + 6),
  });
  return { key, summary };
}
