import { randomBytes } from "node:crypto";
import type { ModalView } from "@slack/types";
import type { ApiKeySummary } from "../db/repositories/api-key-repository.ts";
import type { Repositories } from "../db/repositories/index.ts";
import { hashApiKey } from "../domain/api-key.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { AdminDirectory } from "../outbound/slack/admins.ts";
import { apiKeyModal } from "../presentation/slack/admin-modals.ts";
import { apiKeyCreatedNotice } from "../presentation/slack/notice.ts";
import { requireAdmin } from "./require-admin.ts";

const KEY_PREFIX = "lf_";

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

/** "Create API key" on App Home: the form that names the key. */
export function apiKeyForm(): ModalView {
  return apiKeyModal();
}

/** A key an admin (checked here) creates in Slack: the notice that shows it, once. */
export async function createApiKeyInSlack(
  deps: { repos: Pick<Repositories, "apiKeys">; admins: AdminDirectory },
  input: { workspace: Workspace; userId: string; label: string },
): Promise<ModalView> {
  await requireAdmin(deps, input);
  const { key } = await createApiKey(deps, {
    workspaceId: input.workspace.id,
    label: input.label,
    createdBy: input.userId,
  });
  return apiKeyCreatedNotice(key);
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
