import { createHash } from "node:crypto";

/** What is stored of an ingestion key: its SHA-256, never the key itself. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
